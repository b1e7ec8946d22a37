namespace ModelBuild.EndToEnd.Tests;

/// <summary>One error line of a build log: <c>file : error CODE: message [project]</c>.</summary>
public sealed record BuildError(string File, string Code, string Message);
