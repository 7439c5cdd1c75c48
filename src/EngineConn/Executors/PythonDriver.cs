namespace Linkis.Orleans.EngineConn.Executors;

/// <summary>
/// The python program the host runs as its python executor. Each line on its stdin is
/// <c>{marker prefix}\t{code file}</c>: it exec()s the file in one globals dict that lives as long as the
/// executor, prints a traceback to stderr on an exception (exit code 1), honours SystemExit, then writes
/// <c>\x1e{marker prefix}{exit code}\x1e</c> to stdout and stderr. The code's own stdin is /dev/null.
/// SIGINT (a timeout's interrupt) raises KeyboardInterrupt only while code runs: one that comes between executions —
/// late for the last one, or early for one not read yet, which the host then repeats — is ignored, so it can neither
/// end the driver nor interrupt the wrong code. The handler is installed, not inherited: a host started where SIGINT
/// is ignored would otherwise pass that on, and no timeout could interrupt python.
/// </summary>
internal static class PythonDriver
{
    public const string Source = """
        import os, signal, sys, traceback
        _running = False
        def _interrupt(signum, frame):
            if _running:
                raise KeyboardInterrupt
        signal.signal(signal.SIGINT, _interrupt)
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
            _line = _commands.readline()
            if not _line:
                break
            _prefix, _path = _line.rstrip('\n').split('\t', 1)
            _rc = 0
            try:
                try:
                    with open(_path, encoding='utf-8') as _file:
                        _code = compile(_file.read(), _path, 'exec')
                    _running = True
                    try:
                        exec(_code, _namespace)
                    finally:
                        _running = False
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
