namespace ModelBuild.Contracts.Options;

/// <summary>How the task checks and passes on an <see cref="ItemOption"/>'s value.</summary>
public enum ItemOptionKind
{
    /// <summary>Paths separated by ';' (folders, files, file patterns), made absolute against the project folder.</summary>
    DataSpec,

    /// <summary>A whole number greater than 0 (MB1015 otherwise).</summary>
    Count,

    /// <summary>Names separated by ';' (node names, operator types), passed on as written.</summary>
    NameList,

    /// <summary>Text the CLI parses and reports canonically (budgets, preprocessing, weights), passed on as written.</summary>
    FreeText,

    /// <summary>One of <see cref="ItemOption.ValidNames"/>, in any case (MB1015 otherwise); passed on in lower case.</summary>
    Choice,
}
