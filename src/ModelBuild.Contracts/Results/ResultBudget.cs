namespace ModelBuild.Contracts.Results;

/// <summary>One budget checked on the chosen model: the limit, what was measured, and by how much it was missed.</summary>
public sealed class ResultBudget
{
    public ResultBudget(string budget, string limit, string measured, bool met, string miss)
    {
        Budget = budget;
        Limit = limit;
        Measured = measured;
        Met = met;
        Miss = miss;
    }

    /// <summary>The item metadata of the budget, such as <c>MaxSize</c>.</summary>
    public string Budget { get; }

    public string Limit { get; }

    public string Measured { get; }

    public bool Met { get; }

    /// <summary>Empty when met.</summary>
    public string Miss { get; }
}
