using System.Collections.Generic;

namespace ModelBuild.Contracts.Naming;

/// <summary>
/// The one clash rule of the task and the generator: a model clashes with an earlier one when any type its class
/// declares (the class, its output class) has, ignoring case, the full name of a type the earlier one declares.
/// The first model keeps its class; each later one is reported (MB1006) and left out.
/// </summary>
/// <typeparam name="TOwner">What owns a class: an item's spec in the task, a model in the generator.</typeparam>
public sealed class ClassClashes<TOwner>
{
    private readonly Dictionary<string, TOwner> _ownerByTypeName = new(GeneratedClassNames.Comparer);

    /// <summary>Claims the types of <paramref name="className"/> for <paramref name="owner"/>, or names the owner that has one.</summary>
    /// <returns>
    /// True when none was taken; false when an earlier model, <paramref name="firstOwner"/>, declares
    /// <paramref name="typeName"/> (the full name of this model's type that clashes).
    /// </returns>
    public bool TryClaim(string @namespace, string className, TOwner owner, out TOwner firstOwner, out string typeName)
    {
        var types = GeneratedClassNames.TypesOf(@namespace, className);
        foreach (var type in types)
        {
            if (_ownerByTypeName.TryGetValue(type, out firstOwner!))
            {
                typeName = type;
                return false;
            }
        }
        foreach (var type in types)
            _ownerByTypeName[type] = owner;
        firstOwner = owner;
        typeName = types[0];
        return true;
    }
}
