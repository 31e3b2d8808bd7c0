using System.Text.RegularExpressions;

namespace DiffusionFunctions.Diffusion.Prompting;

/// <summary>
/// Reads the web UI's prompt-editing grammar (as its wiki describes it) into <see cref="PromptScheduleNode"/>s:
/// <code>
/// prompt      := (emphasized | scheduled | alternate | plain)*
/// emphasized  := "(" prompt ")" | "(" prompt ":" prompt ")" | "[" prompt "]"
/// scheduled   := "[" [prompt ":"] prompt ":" [space] NUMBER [space] "]"
/// alternate   := "[" prompt ("|" prompt)+ "]"
/// plain       := any run of characters other than \ [ ] ( ) : |, or \ and the character after it
/// </code>
/// A prompt the grammar does not cover (a <c>:</c> or <c>|</c> outside brackets, an unclosed bracket, <c>[a:b]</c>) has no
/// schedule: the web UI then uses the whole prompt as written, and so does <see cref="PromptSchedule"/>.
/// </summary>
internal sealed partial class PromptScheduleParser
{
    private readonly string _text;
    private int _position;

    private PromptScheduleParser(string text) => _text = text;

    /// <summary>The parsed prompt, or <see langword="null"/> when the grammar does not cover it.</summary>
    public static PromptScheduleNode? TryParse(string prompt)
    {
        var parser = new PromptScheduleParser(prompt);
        var root = parser.ParsePrompt();
        return root is not null && parser._position == prompt.Length ? root : null;
    }

    private char? Peek => _position < _text.Length ? _text[_position] : null;

    // prompt: items up to one of ] ) : | or the end.
    private SequenceNode? ParsePrompt()
    {
        var items = new List<PromptScheduleNode>();
        var plainStart = -1;

        void EndPlain()
        {
            if (plainStart >= 0)
            {
                items.Add(new PlainNode(_text[plainStart.._position]));
                plainStart = -1;
            }
        }

        while (Peek is { } c && c is not (']' or ')' or ':' or '|'))
        {
            if (c is '(' or '[')
            {
                EndPlain();
                var node = c == '(' ? ParseRound() : ParseSquare();
                if (node is null)
                {
                    return null;
                }

                items.Add(node);
                continue;
            }

            if (plainStart < 0)
            {
                plainStart = _position;
            }

            if (c == '\\')
            {
                if (_position + 1 >= _text.Length)
                {
                    return null;
                }

                _position++;
            }

            _position++;
        }

        EndPlain();
        return new SequenceNode(items);
    }

    private PromptScheduleNode? ParseRound()
    {
        _position++;
        var inner = ParsePrompt();
        if (inner is null)
        {
            return null;
        }

        if (Accept(')'))
        {
            return new SequenceNode([new PlainNode("("), inner, new PlainNode(")")]);
        }

        if (!Accept(':'))
        {
            return null;
        }

        var weight = ParsePrompt();
        return weight is not null && Accept(')')
            ? new SequenceNode([new PlainNode("("), inner, new PlainNode(":"), weight, new PlainNode(")")])
            : null;
    }

    private PromptScheduleNode? ParseSquare()
    {
        _position++;
        var first = ParsePrompt();
        if (first is null)
        {
            return null;
        }

        if (Accept(']'))
        {
            return new SequenceNode([new PlainNode("["), first, new PlainNode("]")]);
        }

        if (Peek == '|')
        {
            var options = new List<PromptScheduleNode> { first };
            while (Accept('|'))
            {
                var option = ParsePrompt();
                if (option is null)
                {
                    return null;
                }

                options.Add(option);
            }

            return Accept(']') ? new AlternateNode(options) : null;
        }

        if (!Accept(':'))
        {
            return null;
        }

        // [after:when]
        var afterColon = _position;
        if (TryParseWhen() is { } when)
        {
            return new ScheduledNode(null, first, when);
        }

        // [before:after:when]
        _position = afterColon;
        var after = ParsePrompt();
        return after is not null && Accept(':') && TryParseWhen() is { } when2 ? new ScheduledNode(first, after, when2) : null;
    }

    // [space] NUMBER [space] "]"
    private string? TryParseWhen()
    {
        var match = When().Match(_text, _position);
        if (!match.Success || match.Index != _position)
        {
            return null;
        }

        _position += match.Length;
        return match.Groups[1].Value;
    }

    private bool Accept(char c)
    {
        if (Peek != c)
        {
            return false;
        }

        _position++;
        return true;
    }

    [GeneratedRegex(@"\G\s*([+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)\s*\]", RegexOptions.CultureInvariant)]
    private static partial Regex When();
}
