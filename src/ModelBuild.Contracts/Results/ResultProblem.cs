namespace ModelBuild.Contracts.Results;

/// <summary>A warning or error of a run: its MB code, its message, and the file it concerns (the model, a data file).</summary>
public sealed class ResultProblem
{
    public ResultProblem(string code, string message, string origin)
    {
        Code = code;
        Message = message;
        Origin = origin;
    }

    public string Code { get; }

    public string Message { get; }

    public string Origin { get; }
}
