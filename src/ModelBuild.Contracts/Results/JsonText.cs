using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace ModelBuild.Contracts.Results;

/// <summary>
/// The little JSON the result file needs (see <see cref="CompressionResultFile"/> for why not System.Text.Json): an
/// indented writer, and a reader of any JSON text into dictionaries, lists, strings, doubles, booleans and null.
/// </summary>
public static class JsonText
{
    /// <summary>Writes one JSON value; call <see cref="Property"/> before each value inside an object.</summary>
    public sealed class Writer
    {
        private readonly StringBuilder _text = new();
        // Per open container: whether it has a member yet.
        private readonly Stack<bool> _open = new();
        private bool _afterName;

        public Writer BeginObject() => Open('{');

        public Writer EndObject() => Close('}');

        public Writer BeginArray() => Open('[');

        public Writer EndArray() => Close(']');

        public Writer Property(string name)
        {
            Separate();
            Quote(name);
            _text.Append(": ");
            _afterName = true;
            return this;
        }

        public Writer String(string value)
        {
            Separate();
            Quote(value);
            return this;
        }

        public Writer Number(double value)
        {
            Separate();
            _text.Append(value.ToString("R", CultureInfo.InvariantCulture));
            return this;
        }

        public Writer Bool(bool value)
        {
            Separate();
            _text.Append(value ? "true" : "false");
            return this;
        }

        public Writer Strings(IEnumerable<string> values)
        {
            BeginArray();
            foreach (var value in values)
                String(value);
            return EndArray();
        }

        public override string ToString() => _text.ToString() + "\n";

        private Writer Open(char bracket)
        {
            Separate();
            _text.Append(bracket);
            _open.Push(false);
            return this;
        }

        private Writer Close(char bracket)
        {
            var hadMembers = _open.Pop();
            if (hadMembers)
                NewLine();
            _text.Append(bracket);
            return this;
        }

        // Before a value or a name: a comma after an earlier member, and a new line inside a container.
        private void Separate()
        {
            if (_afterName)
            {
                _afterName = false;
                return;
            }
            if (_open.Count == 0)
                return;
            if (_open.Pop())
                _text.Append(',');
            _open.Push(true);
            NewLine();
        }

        private void NewLine() => _text.Append('\n').Append(' ', 2 * _open.Count);

        private void Quote(string value)
        {
            _text.Append('"');
            foreach (var character in value)
            {
                switch (character)
                {
                    case '"': _text.Append("\\\""); break;
                    case '\\': _text.Append("\\\\"); break;
                    case '\n': _text.Append("\\n"); break;
                    case '\r': _text.Append("\\r"); break;
                    case '\t': _text.Append("\\t"); break;
                    default:
                        if (character < ' ')
                            _text.Append("\\u").Append(((int)character).ToString("x4", CultureInfo.InvariantCulture));
                        else
                            _text.Append(character);
                        break;
                }
            }
            _text.Append('"');
        }
    }

    /// <summary>The value of a JSON text; <see cref="FormatException"/> with the offset where it is not JSON.</summary>
    public static object? Parse(string json)
    {
        var position = 0;
        var value = Value(json, ref position);
        SkipSpace(json, ref position);
        if (position != json.Length)
            throw Error(json, position, "the end of the text");
        return value;
    }

    private static object? Value(string json, ref int position)
    {
        SkipSpace(json, ref position);
        if (position >= json.Length)
            throw Error(json, position, "a value");
        switch (json[position])
        {
            case '{':
                var members = new Dictionary<string, object?>(StringComparer.Ordinal);
                position++;
                if (TryConsume(json, ref position, '}'))
                    return members;
                do
                {
                    SkipSpace(json, ref position);
                    var name = StringValue(json, ref position);
                    Expect(json, ref position, ':');
                    members[name] = Value(json, ref position);
                }
                while (TryConsume(json, ref position, ','));
                Expect(json, ref position, '}');
                return members;
            case '[':
                var items = new List<object?>();
                position++;
                if (TryConsume(json, ref position, ']'))
                    return items;
                do
                    items.Add(Value(json, ref position));
                while (TryConsume(json, ref position, ','));
                Expect(json, ref position, ']');
                return items;
            case '"':
                return StringValue(json, ref position);
            default:
                foreach (var (word, literal) in new (string, object?)[] { ("true", true), ("false", false), ("null", null) })
                {
                    if (string.CompareOrdinal(json, position, word, 0, word.Length) == 0)
                    {
                        position += word.Length;
                        return literal;
                    }
                }
                var start = position;
                while (position < json.Length && "+-.eE0123456789".IndexOf(json[position]) >= 0)
                    position++;
                if (double.TryParse(json.Substring(start, position - start), NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
                    return number;
                throw Error(json, start, "a value");
        }
    }

    private static string StringValue(string json, ref int position)
    {
        if (position >= json.Length || json[position] != '"')
            throw Error(json, position, "'\"'");
        position++;
        var text = new StringBuilder();
        while (position < json.Length && json[position] != '"')
        {
            var character = json[position++];
            if (character != '\\')
            {
                text.Append(character);
                continue;
            }
            if (position >= json.Length)
                break;
            var escape = json[position++];
            switch (escape)
            {
                case 'n': text.Append('\n'); break;
                case 'r': text.Append('\r'); break;
                case 't': text.Append('\t'); break;
                case 'b': text.Append('\b'); break;
                case 'f': text.Append('\f'); break;
                case 'u' when position + 4 <= json.Length:
                    text.Append((char)int.Parse(json.Substring(position, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                    position += 4;
                    break;
                default: text.Append(escape); break;
            }
        }
        if (position >= json.Length)
            throw Error(json, position, "the closing '\"' of a string");
        position++;
        return text.ToString();
    }

    private static void SkipSpace(string json, ref int position)
    {
        while (position < json.Length && char.IsWhiteSpace(json[position]))
            position++;
    }

    private static bool TryConsume(string json, ref int position, char expected)
    {
        SkipSpace(json, ref position);
        if (position < json.Length && json[position] == expected)
        {
            position++;
            return true;
        }
        return false;
    }

    private static void Expect(string json, ref int position, char expected)
    {
        if (!TryConsume(json, ref position, expected))
            throw Error(json, position, $"'{expected}'");
    }

    private static FormatException Error(string json, int position, string expected) =>
        new($"not valid JSON at offset {position}: expected {expected}, found {(position < json.Length ? $"'{json[position]}'" : "the end")}");
}
