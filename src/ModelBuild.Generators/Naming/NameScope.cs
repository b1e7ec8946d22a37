using System;
using System.Collections.Generic;

namespace ModelBuild.Generators.Naming;

/// <summary>
/// The names already taken in one C# scope. Two tensors whose names sanitize to the same identifier
/// (<c>a.b</c> and <c>a/b</c>) get <c>a_b</c> and <c>a_b2</c>; after a trailing digit the suffix is
/// <c>_2</c>, so <c>input.1</c> and <c>input_1</c> become <c>input_1</c> and <c>input_1_2</c>, not <c>input_12</c>.
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
        var separator = bare.Length > 0 && char.IsDigit(bare[bare.Length - 1]) ? "_" : "";
        var candidate = bare;
        for (var suffix = 2; !_taken.Add(candidate); suffix++)
            candidate = bare + separator + suffix;
        return candidate == bare ? identifier : candidate;
    }
}
