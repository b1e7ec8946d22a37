using System;
using System.Collections.Generic;

namespace ModelBuild.Generators.Naming;

/// <summary>
/// The names already taken in one C# scope. Two tensors whose names sanitize to the same identifier
/// (<c>a.b</c> and <c>a/b</c>) get <c>a_b</c> and <c>a_b2</c>.
/// </summary>
internal sealed class NameScope
{
    private readonly HashSet<string> _taken = new(StringComparer.Ordinal);

    public NameScope(params string[] reserved)
    {
        foreach (var name in reserved) _taken.Add(name);
    }

    public string Claim(string identifier)
    {
        // "@class" and "class" are the same C# name.
        var bare = identifier.TrimStart('@');
        var candidate = bare;
        for (var suffix = 2; !_taken.Add(candidate); suffix++)
            candidate = bare + suffix;
        return candidate == bare ? identifier : candidate;
    }
}
