namespace ModelBuild.Compression.Budgets;

/// <summary>One budget checked on one model: the limit, the value measured, and by how much it was missed.</summary>
public sealed record BudgetVerdict(string Budget, string Limit, string Measured, bool Met, string Miss);
