namespace Linkis.Orleans.EngineConn.Processes;

/// <summary>Finds and signals the descendants of a process by walking <c>/proc</c>.</summary>
internal static class ProcessTree
{
    /// <summary>Every live descendant of <paramref name="rootPid"/>, parents before children.</summary>
    public static List<int> Descendants(int rootPid)
    {
        var childrenByParent = new Dictionary<int, List<int>>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid) || ReadStat(pid) is not (var parentPid, _))
            {
                continue;
            }

            if (!childrenByParent.TryGetValue(parentPid, out var children))
            {
                childrenByParent[parentPid] = children = [];
            }

            children.Add(pid);
        }

        var descendants = new List<int>();
        var frontier = new Queue<int>();
        frontier.Enqueue(rootPid);
        while (frontier.TryDequeue(out var parent))
        {
            if (!childrenByParent.TryGetValue(parent, out var children))
            {
                continue;
            }

            foreach (var child in children)
            {
                descendants.Add(child);
                frontier.Enqueue(child);
            }
        }

        return descendants;
    }

    /// <summary>
    /// SIGKILLs every descendant of <paramref name="rootPid"/> but not the process itself. Each round first stops
    /// the whole tree so nothing can fork a new child between the walk and the kill; a few rounds catch the rest.
    /// </summary>
    public static int KillDescendants(int rootPid)
    {
        var killed = 0;
        for (var round = 0; round < 3; round++)
        {
            var descendants = Descendants(rootPid);
            if (descendants.Count == 0)
            {
                break;
            }

            foreach (var pid in descendants)
            {
                LibC.Kill(pid, LibC.SIGSTOP);
            }

            foreach (var pid in descendants)
            {
                if (LibC.Kill(pid, LibC.SIGKILL) == 0)
                {
                    killed++;
                }
            }
        }

        return killed;
    }

    /// <summary>Sends <paramref name="signal"/> to every descendant of <paramref name="rootPid"/>; returns whom.</summary>
    public static List<int> SignalDescendants(int rootPid, int signal)
    {
        var descendants = Descendants(rootPid);
        foreach (var pid in descendants)
        {
            LibC.Kill(pid, signal);
        }

        return descendants;
    }

    /// <summary>
    /// SIGKILLs every other member of process group <paramref name="processGroup"/>: this finds what the executor
    /// left running in the background after it exited, which its parent's death handed to init.
    /// </summary>
    public static int KillProcessGroupExcept(int processGroup, int exceptPid)
    {
        var killed = 0;
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), out var pid)
                && pid != exceptPid
                && ReadStat(pid) is (_, var group)
                && group == processGroup
                && LibC.Kill(pid, LibC.SIGKILL) == 0)
            {
                killed++;
            }
        }

        return killed;
    }

    /// <summary>The parent pid and process group of <paramref name="pid"/>, or null when it is gone.</summary>
    private static (int ParentPid, int ProcessGroup)? ReadStat(int pid)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }

        // "pid (comm) state ppid pgrp ...": comm may hold spaces and parentheses, so parse after the last ')'.
        var afterName = stat.AsSpan(stat.LastIndexOf(')') + 1).Trim();
        var fields = afterName.Split(' ');
        if (fields.MoveNext() && fields.MoveNext() && int.TryParse(afterName[fields.Current], out var parentPid)
            && fields.MoveNext() && int.TryParse(afterName[fields.Current], out var processGroup))
        {
            return (parentPid, processGroup);
        }

        return null;
    }
}
