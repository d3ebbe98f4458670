using System.Globalization;
using Course.Notebook;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Course.Kernel;

/// <summary>
/// complete_request, inspect_request and is_complete_request, answered from the Roslyn compilation the code would
/// get as the next cell (so variables, usings and #load-ed code of earlier cells are in scope). Cheap by design: one
/// semantic model, no workspace. Positions are in Unicode code points, as the protocol counts them.
/// </summary>
public sealed class CodeAssistant(NotebookSession session)
{
    public sealed record Completion(IReadOnlyList<string> Matches, int CursorStart, int CursorEnd, IReadOnlyList<(string Text, string Type)> Types);

    public sealed record Inspection(string Signature, string? Documentation);

    /// <summary>Names that can follow the text before <paramref name="cursor"/>: members after a dot, otherwise everything in scope and keywords.</summary>
    public Completion Complete(string code, int cursor)
    {
        var text = Normalize(code, cursor, out int at);
        int start = at;
        while (start > 0 && (char.IsLetterOrDigit(text[start - 1]) || text[start - 1] == '_')) start--;
        var prefix = text[start..at];
        // identifier characters are never surrogates or \r, so the prefix is as long in code points as in UTF-16
        int cursorStart = cursor - (at - start);
        var empty = new Completion([], cursorStart, cursor, []);
        if (prefix.Length > 0 && char.IsDigit(prefix[0])) return empty;

        var analysis = Analyze(text);
        if (analysis is null) return empty;
        var (model, tree, offset) = analysis.Value;
        int position = start + offset;
        IEnumerable<ISymbol> symbols;
        bool afterDot = start > 0 && text[start - 1] == '.';
        if (afterDot)
        {
            var dot = tree.GetRoot().FindToken(position - 1);
            symbols = MembersOf(model, dot, position);
        }
        else
        {
            symbols = model.LookupSymbols(position);
        }
        var found = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var s in symbols)
        {
            if (!s.CanBeReferencedByName || s.IsImplicitlyDeclared && s is not IParameterSymbol) continue;
            if (s is IMethodSymbol { MethodKind: not (MethodKind.Ordinary or MethodKind.ReducedExtension or MethodKind.LocalFunction) }) continue;
            if (s.Name.Contains('<') || s.Name.StartsWith("Submission#", StringComparison.Ordinal)) continue;
            if (s.Name.StartsWith(prefix, StringComparison.Ordinal)) found.TryAdd(s.Name, Kind(s));
        }
        if (!afterDot)
            foreach (var kind in SyntaxFacts.GetKeywordKinds())
            {
                var keyword = SyntaxFacts.GetText(kind);
                if (keyword.StartsWith(prefix, StringComparison.Ordinal) && keyword.Length > 0 && char.IsLetter(keyword[0])) found.TryAdd(keyword, "keyword");
            }
        return new Completion(found.Keys.ToList(), cursorStart, cursor, found.Select(kv => (kv.Key, kv.Value)).ToList());
    }

    /// <summary>What the name at or just before <paramref name="cursor"/> is: its signature and XML summary, or null.</summary>
    public Inspection? Inspect(string code, int cursor)
    {
        var text = Normalize(code, cursor, out int at);
        var analysis = Analyze(text);
        if (analysis is null) return null;
        var (model, tree, offset) = analysis.Value;
        var root = tree.GetRoot();
        foreach (var p in new[] { at, at - 1 })
        {
            if (p < 0) continue;
            var token = root.FindToken(p + offset);
            if (!token.IsKind(SyntaxKind.IdentifierToken)) continue;
            var node = token.Parent!;
            var info = model.GetSymbolInfo(node);
            var symbol = info.Symbol ?? info.CandidateSymbols.FirstOrDefault() ?? model.GetDeclaredSymbol(node);
            if (symbol is null) continue;
            var signature = symbol.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat.WithMemberOptions(
                SymbolDisplayMemberOptions.IncludeParameters | SymbolDisplayMemberOptions.IncludeType | SymbolDisplayMemberOptions.IncludeContainingType));
            var typed = symbol switch
            {
                ILocalSymbol l => $"{l.Type.ToDisplayString()} {signature}",
                IFieldSymbol f when f.ContainingType?.IsScriptClass == true => $"{f.Type.ToDisplayString()} {f.Name}",
                _ => $"({Kind(symbol)}) {signature}",
            };
            return new Inspection(typed, Summary(symbol));
        }
        return null;
    }

    /// <summary>"complete", "incomplete" (a block or statement is still open) or "invalid" (complete but with syntax errors).</summary>
    public static string IsComplete(string code)
    {
        CellPreprocessor.Result pre;
        try { pre = CellPreprocessor.Process(code); }
        catch (NotebookDirectiveException) { return "invalid"; }
        if (!NotebookSession.IsComplete(code)) return "incomplete";
        var tree = CSharpSyntaxTree.ParseText(pre.Code, new CSharpParseOptions(LanguageVersion.Latest, kind: SourceCodeKind.Script));
        return tree.GetDiagnostics().Any(d => d.Severity == DiagnosticSeverity.Error) ? "invalid" : "complete";
    }

    private static IEnumerable<ISymbol> MembersOf(SemanticModel model, SyntaxToken dot, int position)
    {
        ExpressionSyntax? left = dot.Parent switch
        {
            MemberAccessExpressionSyntax m => m.Expression,
            QualifiedNameSyntax q => q.Left,
            _ => null,
        };
        if (dot.Parent is MemberBindingExpressionSyntax binding && binding.Parent?.Parent is ConditionalAccessExpressionSyntax conditional)
            left = conditional.Expression;
        if (left is null) return [];
        var symbol = model.GetSymbolInfo(left).Symbol;
        switch (symbol)
        {
            case INamespaceSymbol ns:
                return model.LookupNamespacesAndTypes(position, ns);
            case INamedTypeSymbol type:
                return model.LookupStaticMembers(position, type);
        }
        var instance = model.GetTypeInfo(left).Type;
        if (instance is null || instance.TypeKind == TypeKind.Error) return [];
        return model.LookupSymbols(position, instance, includeReducedExtensionMethods: true).Where(s => !s.IsStatic || s is IMethodSymbol { MethodKind: MethodKind.ReducedExtension });
    }

    /// <summary>The semantic model of the code as the next cell, and how far positions moved from preprocessing (always 0 here).</summary>
    private (SemanticModel Model, SyntaxTree Tree, int Offset)? Analyze(string text)
    {
        Compilation compilation;
        try { compilation = session.CompileForAnalysis(Preprocessed(text)); }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            KernelLog.Debug($"analysis failed: {e.Message}");
            return null;
        }
        var tree = compilation.SyntaxTrees.Last();
        return (compilation.GetSemanticModel(tree), tree, 0);
    }

    /// <summary>
    /// The cell with kernel directives (#!csharp, #r "nuget:...") blanked out line by line, keeping every other line
    /// and each line's length so positions stay valid.
    /// </summary>
    private static string Preprocessed(string text)
    {
        var original = text.Split('\n');
        string[] processed;
        try { processed = CellPreprocessor.Process(text).Code.Split('\n'); }
        catch (NotebookDirectiveException) { return text; }
        if (processed.Length != original.Length) return text;
        for (int i = 0; i < original.Length; i++)
            if (processed[i] != original[i]) processed[i] = new string(' ', original[i].Length);
        return string.Join('\n', processed);
    }

    /// <summary>The code with \r\n as \n, and the UTF-16 index of a cursor given in code points.</summary>
    private static string Normalize(string code, int cursorCodePoints, out int index)
    {
        int i = 0, points = 0, crBefore = 0;
        while (i < code.Length && points < cursorCodePoints)
        {
            if (code[i] == '\r' && i + 1 < code.Length && code[i + 1] == '\n') crBefore++;
            i += char.IsHighSurrogate(code[i]) && i + 1 < code.Length ? 2 : 1;
            points++;
        }
        index = i - crBefore;
        return code.Replace("\r\n", "\n");
    }

    private static string Kind(ISymbol s) => s switch
    {
        IMethodSymbol => "method",
        IPropertySymbol => "property",
        IFieldSymbol { ContainingType.IsScriptClass: true } => "variable",
        IFieldSymbol => "field",
        ILocalSymbol => "variable",
        IParameterSymbol => "parameter",
        IEventSymbol => "event",
        INamespaceSymbol => "namespace",
        INamedTypeSymbol { TypeKind: TypeKind.Interface } => "interface",
        INamedTypeSymbol { TypeKind: TypeKind.Enum } => "enum",
        INamedTypeSymbol { TypeKind: TypeKind.Struct } => "struct",
        INamedTypeSymbol => "class",
        _ => s.Kind.ToString().ToLower(CultureInfo.InvariantCulture),
    };

    private static string? Summary(ISymbol symbol)
    {
        var xml = symbol.GetDocumentationCommentXml(CultureInfo.InvariantCulture, expandIncludes: false);
        if (string.IsNullOrWhiteSpace(xml)) return null;
        try
        {
            var doc = System.Xml.Linq.XElement.Parse(xml);
            var summary = doc.Element("summary");
            return summary is null ? null : string.Join(" ", summary.Value.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        }
        catch (System.Xml.XmlException) { return null; }
    }
}
