namespace Linkis.Orleans.EngineConn.Executors;

/// <summary>
/// The python program the host runs as its python executor. Each line on its stdin is
/// <c>{marker prefix}\t{code file}</c>: it exec()s the file in one globals dict that lives as long as the
/// executor, prints a traceback to stderr on an exception (exit code 1), honours SystemExit, then writes
/// <c>\x1e{marker prefix}{exit code}\x1e</c> to stdout and stderr. The code's own stdin is /dev/null.
/// </summary>
internal static class PythonDriver
{
    public const string Source = """
        import os, sys, traceback
        _commands = os.fdopen(os.dup(0), 'r', encoding='utf-8')
        _devnull = os.open(os.devnull, os.O_RDONLY)
        os.dup2(_devnull, 0)
        os.close(_devnull)
        sys.stdin = open(os.devnull, 'r')
        _namespace = {'__name__': '__main__', '__builtins__': __builtins__}
        def _exit_code(code):
            if code is None:
                return 0
            if isinstance(code, int):
                return code
            print(code, file=sys.stderr)
            return 1
        while True:
            try:
                _line = _commands.readline()
            except KeyboardInterrupt:
                continue
            if not _line:
                break
            _prefix, _path = _line.rstrip('\n').split('\t', 1)
            _rc = 0
            try:
                try:
                    with open(_path, encoding='utf-8') as _file:
                        _code = compile(_file.read(), _path, 'exec')
                    exec(_code, _namespace)
                except SystemExit as _exit:
                    _rc = _exit_code(_exit.code)
                except BaseException:
                    _type, _value, _tb = sys.exc_info()
                    traceback.print_exception(_type, _value, _tb.tb_next)
                    _rc = 1
                for _stream in (sys.stdout, sys.stderr, sys.__stdout__, sys.__stderr__):
                    try:
                        _stream.flush()
                    except Exception:
                        pass
            except KeyboardInterrupt:
                _rc = 130
            _marker = ('\x1e' + _prefix + str(_rc) + '\x1e').encode()
            os.write(1, _marker)
            os.write(2, _marker)
        """;
}
