namespace Linkis.Orleans.Testing;

public static class TestDirectories
{
    /// <summary>
    /// Deletes a test's directory, trying a few times: a process killed a moment ago may still be writing into it.
    /// What cannot be deleted by then is left, not thrown: cleanup must not fail a test that passed.
    /// </summary>
    public static void DeleteQuietly(string directory)
    {
        for (var attempt = 0; attempt < 3; attempt++)
        {
            try
            {
                if (Directory.Exists(directory))
                {
                    Directory.Delete(directory, recursive: true);
                }

                return;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Thread.Sleep(100);
            }
        }
    }
}
