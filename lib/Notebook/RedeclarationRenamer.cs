using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace Course.Notebook;

/// <summary>
/// Turns a notebook's top-level names into a program's. In a notebook each cell is a script submission, and a later
/// cell may declare a top-level variable (or function) again (<c>var x</c> in two cells); one program's top-level
/// statements share one scope, where that is error CS0128. This gives each later declaration a fresh name
/// (<c>x_2</c>, <c>x_3</c>, ...) and renames, on syntax trees, the uses that mean it: all of its own cell's (a script's
/// top-level variables are fields of the submission, so a use above the declaration reads the new, still default,
/// variable; in the program that use is error CS0841, which points at the notebook's mistake), and the following
/// cells' until the name is declared again. Member names (<c>a.x</c>), named
/// arguments, initializer members, type positions, names that a lambda, block or loop of the cell declares itself,
/// and anything inside a type declaration are left alone. Feed the cells in order, one <see cref="Rename"/> each.
/// </summary>
public sealed class RedeclarationRenamer
{
    private readonly Dictionary<string, string> _current = new(StringComparer.Ordinal); // name in the notebook -> name in the program
    private readonly HashSet<string> _taken = new(StringComparer.Ordinal);
    private readonly HashSet<string> _globals = new(StringComparer.Ordinal);
    private readonly HashSet<string> _programLocals = new(StringComparer.Ordinal);

    /// <param name="reserved">Every identifier of the notebook: a fresh name never collides with one of them.</param>
    /// <param name="topLevelNames">The names every cell of the notebook declares at its top level (<see cref="TopLevelDeclarations"/>).</param>
    /// <param name="globals">Functions every cell sees (<c>display</c>, <c>HTML</c>): a variable of that name is renamed, a call is not.</param>
    public RedeclarationRenamer(IEnumerable<string> reserved, IEnumerable<string>? topLevelNames = null, IEnumerable<string>? globals = null)
    {
        ArgumentNullException.ThrowIfNull(reserved);
        _taken.UnionWith(reserved);
        _programLocals.UnionWith(topLevelNames ?? []);
        foreach (var g in globals ?? []) { _globals.Add(g); _current[g] = g; _taken.Add(g); }
    }

    /// <summary>The program's name of each notebook name renamed so far (the latest declaration's).</summary>
    public IReadOnlyDictionary<string, string> Names => _current;

    /// <summary>
    /// The text edits that rename <paramref name="root"/> (one cell or loaded file, parsed as a script), and records the
    /// names it declares for the cells that follow.
    /// </summary>
    public IReadOnlyList<TextChange> Rename(CompilationUnitSyntax root)
    {
        ArgumentNullException.ThrowIfNull(root);
        var declared = TopLevelDeclarations(root);
        var fresh = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in declared)
            fresh[name] = _current.ContainsKey(name) ? FreshName(name) : name;

        var nested = NestedDeclarations(root);
        var changes = new List<TextChange>();
        foreach (var token in root.DescendantTokens())
        {
            if (!token.IsKind(SyntaxKind.IdentifierToken)) continue;
            var name = token.ValueText;
            if (!declared.Contains(name) && !_current.ContainsKey(name)) continue;
            string? target = null;
            if (IsTopLevelDeclarationName(token))
                target = fresh[name];
            else if (token.Parent is IdentifierNameSyntax id && IsVariableReference(id) && !IsShadowed(id, nested)
                     && !(_globals.Contains(name) && id.Parent is InvocationExpressionSyntax call && call.Expression == id)) // a script calls the global even where a variable has its name
                target = fresh.TryGetValue(name, out var own) ? own : _current.TryGetValue(name, out var earlier) ? earlier : null;
            if (target is null || target == name) continue;
            changes.Add(Replace(token, target));
        }
        foreach (var (name, program) in fresh) _current[name] = program;
        changes.AddRange(RenameShadowingLocals(nested));
        return changes;
    }

    /// <summary>
    /// A name a block or loop declares inside the cell while the program also declares it at its top level: a script's
    /// top-level variable is a field, which a block's local may hide; a program's is a local, which it may not (CS0136).
    /// The nested one gets a fresh name, with its uses. (A lambda's or function's own names may hide a local; they stay.)
    /// </summary>
    private IEnumerable<TextChange> RenameShadowingLocals(List<(SyntaxToken Identifier, SyntaxNode Scope)> nested)
    {
        foreach (var (identifier, scope) in nested)
        {
            var name = identifier.ValueText;
            if (!_programLocals.Contains(name) && !_current.ContainsKey(name)) continue;
            if (_globals.Contains(name) && !_programLocals.Contains(name)) continue;
            if (identifier.Parent!.AncestorsAndSelf().TakeWhile(a => a is not GlobalStatementSyntax)
                .Any(a => a is AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax or BaseMethodDeclarationSyntax or BaseTypeDeclarationSyntax
                          || (a is ParameterSyntax)))
                continue;
            var renamed = FreshName(name);
            yield return Replace(identifier, renamed);
            foreach (var id in scope.DescendantNodes().OfType<IdentifierNameSyntax>())
            {
                if (id.Identifier.ValueText != name || !IsVariableReference(id)) continue;
                // a deeper declaration of the same name inside this scope owns its own uses
                if (nested.Any(d => d.Identifier.ValueText == name && d.Scope != scope && scope.Span.Contains(d.Scope.Span) && id.Ancestors().Contains(d.Scope))) continue;
                yield return Replace(id.Identifier, renamed);
            }
        }
    }

    /// <summary>Whether <paramref name="tuple"/> is (inside) the target of a deconstructing assignment, where elements take no names.</summary>
    private static bool IsAssignedTo(TupleExpressionSyntax tuple)
    {
        SyntaxNode node = tuple;
        while (node.Parent is ArgumentSyntax { Parent: TupleExpressionSyntax outer }) node = outer;
        return node.Parent is AssignmentExpressionSyntax assignment && assignment.Left == node;
    }

    /// <summary>The edit that renames <paramref name="token"/>; a projection or tuple that takes its member name from the variable keeps that name.</summary>
    private static TextChange Replace(SyntaxToken token, string target)
    {
        var name = token.ValueText;
        if (token.Parent!.Parent is AnonymousObjectMemberDeclaratorSyntax { NameEquals: null })
            return new TextChange(token.Span, $"{name} = {target}");
        if (token.Parent.Parent is ArgumentSyntax { NameColon: null, Parent: TupleExpressionSyntax tuple } && !IsAssignedTo(tuple))
            return new TextChange(token.Span, $"{name}: {target}");
        return new TextChange(token.Span, target);
    }

    private string FreshName(string name)
    {
        for (int i = 2; ; i++)
        {
            var candidate = $"{name}_{i}";
            if (_taken.Add(candidate)) return candidate;
        }
    }

    /// <summary>The names a cell declares at its top level (variables, deconstructions, out and pattern variables, functions).</summary>
    public static HashSet<string> TopLevelDeclarations(CompilationUnitSyntax root)
    {
        var result = new HashSet<string>(StringComparer.Ordinal);
        foreach (var member in root.Members)
        {
            switch (member)
            {
                case FieldDeclarationSyntax field: // a script's top-level variable
                    foreach (var v in field.Declaration.Variables) result.Add(v.Identifier.ValueText);
                    break;
                case MethodDeclarationSyntax method: // a script's top-level function
                    result.Add(method.Identifier.ValueText);
                    break;
                case GlobalStatementSyntax { Statement: LocalFunctionStatementSyntax function }:
                    result.Add(function.Identifier.ValueText);
                    break;
                case GlobalStatementSyntax global:
                    foreach (var node in global.Statement.DescendantNodesAndSelf(n => n is not TypeDeclarationSyntax))
                    {
                        var identifier = node switch
                        {
                            VariableDeclaratorSyntax v => v.Identifier,
                            SingleVariableDesignationSyntax d => d.Identifier,
                            _ => default
                        };
                        if (identifier.RawKind != 0 && ScopeOf(node) is null) result.Add(identifier.ValueText);
                    }
                    break;
            }
        }
        return result;
    }

    private static bool IsTopLevelDeclarationName(SyntaxToken token) => token.Parent switch
    {
        VariableDeclaratorSyntax v => v.Parent?.Parent is FieldDeclarationSyntax { Parent: CompilationUnitSyntax } || (v.Parent?.Parent is LocalDeclarationStatementSyntax && ScopeOf(v) is null),
        SingleVariableDesignationSyntax d => ScopeOf(d) is null && d.Ancestors().Any(a => a is GlobalStatementSyntax),
        MethodDeclarationSyntax { Parent: CompilationUnitSyntax } => true,
        LocalFunctionStatementSyntax { Parent: GlobalStatementSyntax } => true,
        _ => false
    };

    /// <summary>
    /// The node whose extent a nested declaration's name is in scope (a block, loop, lambda, function, catch, query), or
    /// null for a top-level one (statements of the cell itself, where a script's pattern variables of an if also live).
    /// </summary>
    private static SyntaxNode? ScopeOf(SyntaxNode declaration)
    {
        var start = declaration is LocalFunctionStatementSyntax ? declaration.Parent : declaration;
        for (var node = start; node is not null; node = node.Parent)
        {
            switch (node)
            {
                case GlobalStatementSyntax or CompilationUnitSyntax: return null;
                case BaseTypeDeclarationSyntax or DelegateDeclarationSyntax: return node;
                case BlockSyntax or SwitchSectionSyntax or ForStatementSyntax or CommonForEachStatementSyntax or UsingStatementSyntax
                    or FixedStatementSyntax or WhileStatementSyntax or DoStatementSyntax or LockStatementSyntax or CatchClauseSyntax
                    or AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax or BaseMethodDeclarationSyntax
                    or QueryExpressionSyntax or SwitchExpressionArmSyntax:
                    if (node != declaration) return node;
                    break;
            }
        }
        return null;
    }

    /// <summary>Names declared inside the cell's blocks, loops, lambdas and functions, each with the node it is in scope in.</summary>
    private static List<(SyntaxToken Identifier, SyntaxNode Scope)> NestedDeclarations(CompilationUnitSyntax root)
    {
        var result = new List<(SyntaxToken, SyntaxNode)>();
        foreach (var node in root.DescendantNodes())
        {
            var identifier = node switch
            {
                VariableDeclaratorSyntax v => v.Identifier,
                SingleVariableDesignationSyntax d => d.Identifier,
                ParameterSyntax p => p.Identifier,
                ForEachStatementSyntax f => f.Identifier,
                CatchDeclarationSyntax c => c.Identifier,
                LocalFunctionStatementSyntax f => f.Identifier,
                FromClauseSyntax f => f.Identifier,
                LetClauseSyntax l => l.Identifier,
                JoinClauseSyntax j => j.Identifier,
                JoinIntoClauseSyntax j => j.Identifier,
                QueryContinuationSyntax q => q.Identifier,
                _ => default
            };
            if (identifier.RawKind == 0 || identifier.ValueText.Length == 0) continue;
            var scope = node is ParameterSyntax ? node.Ancestors().FirstOrDefault(a => a is AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax or BaseMethodDeclarationSyntax)
                      : node is ForEachStatementSyntax ? node
                      : ScopeOf(node);
            if (scope is not null) result.Add((identifier, scope));
        }
        return result;
    }

    private static bool IsShadowed(IdentifierNameSyntax id, List<(SyntaxToken Identifier, SyntaxNode Scope)> nested) =>
        nested.Any(d => d.Identifier.ValueText == id.Identifier.ValueText && id.Ancestors().Contains(d.Scope));

    /// <summary>Whether <paramref name="id"/> can name a variable: not a member name, named argument, initializer member, type or namespace, and not inside a type.</summary>
    public static bool IsVariableReference(IdentifierNameSyntax id)
    {
        switch (id.Parent)
        {
            case MemberAccessExpressionSyntax access when access.Name == id: return false;
            case MemberBindingExpressionSyntax: return false;
            case QualifiedNameSyntax or AliasQualifiedNameSyntax: return false;
            case NameColonSyntax or NameEqualsSyntax or ExpressionColonSyntax: return false;
            case AssignmentExpressionSyntax assignment when assignment.Left == id && assignment.Parent is InitializerExpressionSyntax initializer
                && (initializer.IsKind(SyntaxKind.ObjectInitializerExpression) || initializer.IsKind(SyntaxKind.WithInitializerExpression)):
                return false;
        }
        if (SyntaxFacts.IsInTypeOnlyContext(id)) return false;
        return !id.Ancestors().Any(a => a is BaseTypeDeclarationSyntax or DelegateDeclarationSyntax or UsingDirectiveSyntax or AttributeSyntax);
    }
}
