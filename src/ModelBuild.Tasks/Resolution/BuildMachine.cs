using System;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;

namespace ModelBuild.Tasks.Resolution;

/// <summary>
/// Which kind of CPU this build runs on, for the settings stamp of a model whose TargetCpu is <c>native</c>: its
/// output depends on the machine, so moving the build (or the compression cache) to another kind recompresses it.
/// </summary>
internal static class BuildMachine
{
    public static string Identity()
    {
        var architecture = RuntimeInformation.ProcessArchitecture.ToString();
        try
        {
            // Linux names the CPU and its flags (avx2, avx512_vnni, ...); other systems give what the environment says.
            if (File.Exists("/proc/cpuinfo"))
            {
                var lines = File.ReadLines("/proc/cpuinfo").Take(64).ToList();
                var model = lines.FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':').Last().Trim() ?? "";
                var flags = lines.FirstOrDefault(l => l.StartsWith("flags", StringComparison.Ordinal) || l.StartsWith("Features", StringComparison.Ordinal))?.Split(':').Last().Trim() ?? "";
                return $"{architecture} {model} [{flags}]";
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
        return $"{architecture} {Environment.GetEnvironmentVariable("PROCESSOR_IDENTIFIER")}";
    }
}
