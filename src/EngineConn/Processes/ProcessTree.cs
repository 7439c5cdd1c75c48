namespace Linkis.Orleans.EngineConn.Processes;

/// <summary>
/// Finds and signals the descendants of a process by following the kernel's per-thread child lists
/// (<c>/proc/&lt;pid&gt;/task/&lt;tid&gt;/children</c>). Walking down from a process reads one small file per thread of
/// each process in its subtree, where scanning every <c>/proc/&lt;pid&gt;/stat</c> on the machine would cost a read
/// per process on the node — thousands on a busy one, on every engine stop.
/// </summary>
/// <remarks>
/// The host is a child subreaper (see <see cref="LibC.BecomeChildSubreaper"/>): what the executor starts and then
/// abandons is re-parented to the host instead of to init, so it stays in the host's subtree and these walks find it.
/// </remarks>
internal static class ProcessTree
{
    /// <summary>Every live descendant of <paramref name="rootPid"/>, parents before children.</summary>
    public static List<int> Descendants(int rootPid)
    {
        var descendants = new List<int>();
        var seen = new HashSet<int> { rootPid };
        var frontier = new Queue<int>();
        frontier.Enqueue(rootPid);
        while (frontier.TryDequeue(out var parent))
        {
            foreach (var child in Children(parent))
            {
                if (seen.Add(child))
                {
                    descendants.Add(child);
                    frontier.Enqueue(child);
                }
            }
        }

        return descendants;
    }

    /// <summary>The direct children of <paramref name="pid"/>, from each of its threads; empty when it is gone.</summary>
    public static List<int> Children(int pid)
    {
        var children = new List<int>();
        string[] threads;
        try
        {
            threads = Directory.GetDirectories($"/proc/{pid}/task");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return children;
        }

        foreach (var thread in threads)
        {
            string list;
            try
            {
                list = File.ReadAllText(Path.Combine(thread, "children"));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue; // the thread ended meanwhile
            }

            foreach (var range in list.AsSpan().Split(' '))
            {
                if (int.TryParse(list.AsSpan()[range], out var child))
                {
                    children.Add(child);
                }
            }
        }

        return children;
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
    /// Reaps this process's children other than <paramref name="exceptPid"/> until none is left (each killed one has
    /// really died, not just been sent its SIGKILL) or <paramref name="deadline"/> passes; true when none is left.
    /// </summary>
    public static bool ReapUntilNoneLeft(int exceptPid, TimeSpan deadline)
    {
        var until = Environment.TickCount64 + (long)deadline.TotalMilliseconds;
        while (true)
        {
            ReapEndedOrphans(exceptPid);
            if (Children(Environment.ProcessId).TrueForAll(child => child == exceptPid))
            {
                return true;
            }

            if (Environment.TickCount64 >= until)
            {
                return false;
            }

            // A SIGKILLed process dies when it is next scheduled: on a loaded machine, a few milliseconds.
            Thread.Sleep(5);
        }
    }

    /// <summary>
    /// Collects the exit status of this process's children that have ended, other than <paramref name="exceptPid"/>
    /// (the executor, which .NET's <see cref="System.Diagnostics.Process"/> reaps). As a subreaper the host inherits
    /// orphans; without this each one that ends would stay a zombie, holding its pid, until the host exits.
    /// </summary>
    public static int ReapEndedOrphans(int exceptPid)
    {
        var reaped = 0;
        foreach (var child in Children(Environment.ProcessId))
        {
            if (child != exceptPid && LibC.WaitPidNoHang(child, out _) == child)
            {
                reaped++;
            }
        }

        return reaped;
    }
}
