namespace ModelBuild.Cli.Reporting;

/// <summary>
/// Prints compression steps as they happen. Not <see cref="Progress{T}"/>: that one posts to the thread pool, so
/// lines could arrive late or out of order next to the errors printed on the calling thread.
/// </summary>
public sealed class ProgressLines(ConsoleReporter reporter, string modelPath) : IProgress<string>
{
    public void Report(string value) => reporter.Progress(modelPath, value);
}
