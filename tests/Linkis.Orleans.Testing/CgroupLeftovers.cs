namespace Linkis.Orleans.Testing;

/// <summary>
/// A test silo killed with its engines leaves their control groups (<c>&lt;mount&gt;/linkis/&lt;node&gt;/&lt;engineId&gt;</c>)
/// behind, and once its work root is deleted no silo could tie them to itself again: remove them with it.
/// </summary>
public static class CgroupLeftovers
{
    public static int Remove(string nodeName, string workRoot)
    {
        if (!Directory.Exists(workRoot) || !File.Exists("/proc/mounts"))
        {
            return 0;
        }

        var engineIds = Directory.GetDirectories(workRoot).Select(Path.GetFileName).OfType<string>().ToList();
        var mounts = File.ReadLines("/proc/mounts").Select(l => l.Split(' ')).Where(f => f.Length >= 3 && f[2] is "cgroup" or "cgroup2").Select(f => f[1]);
        var removed = 0;
        foreach (var group in mounts.SelectMany(m => engineIds.Select(id => Path.Combine(m, "linkis", nodeName, id))).Where(Directory.Exists))
        {
            // The kernel refuses while a task that was just killed is still exiting.
            for (var attempt = 0; attempt < 50; attempt++)
            {
                try
                {
                    Directory.Delete(group);
                    removed++;
                    break;
                }
                catch (IOException)
                {
                    Thread.Sleep(20);
                }
                catch (UnauthorizedAccessException)
                {
                    break;
                }
            }
        }

        return removed;
    }
}
