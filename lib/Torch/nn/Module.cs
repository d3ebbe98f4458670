using Torch.Modules;
using System.Reflection;
using System.Text;

namespace Torch;

public static partial class torch
{
    public static partial class nn
    {
        /// <summary>
        /// Base of every layer and model. Parameters, buffers and submodules held in fields are found
        /// automatically (named after the field, as PyTorch names attributes), or registered with
        /// <see cref="register_module"/> / <see cref="register_parameter"/> / <see cref="register_buffer"/>.
        /// </summary>
        public abstract class Module : IDisposable
        {
            private readonly List<(string name, Parameter? p)> parameters_ = new();
            private readonly List<(string name, Tensor t)> buffers_ = new();
            private readonly List<(string name, Module m)> modules_ = new();
            private bool discovered;
            private readonly string? name;

            protected Module() { }

            /// <summary>As TorchSharp's modules, which are constructed with a name: <c>: base(nameof(MyModel))</c>.</summary>
            protected Module(string name) => this.name = name ?? throw new ArgumentNullException(nameof(name));

            /// <summary>The name given to the constructor, else the type's name.</summary>
            public string GetName() => name ?? GetType().Name;

            /// <summary>
            /// Registers the parameters and submodules held in fields, as TorchSharp needs at the end of a module's
            /// constructor. Here fields are also found on first use, so a module that does not call it works in this
            /// binding; on TorchSharp it would have no parameters, so the course's modules call it.
            /// </summary>
            protected void RegisterComponents() { discovered = false; Discover(); }

            public bool training { get; private set; } = true;

            protected void register_parameter(string name, Parameter? p) { Discover(); parameters_.Add((name, p)); }
            protected void register_buffer(string name, Tensor t) { Discover(); buffers_.Add((name, t.DetachFromDisposeScope())); }
            protected T register_module<T>(string name, T m) where T : Module { Discover(); modules_.Add((name, m)); return m; }

            // Fields of type Parameter or Module, base class first, in declaration order.
            private void Discover()
            {
                if (discovered) return;
                discovered = true;
                var chain = new Stack<Type>();
                for (var t = GetType(); t != null && t != typeof(Module); t = t.BaseType) chain.Push(t);
                foreach (var type in chain)
                    foreach (var f in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
                    {
                        if (f.GetCustomAttribute<System.Runtime.CompilerServices.CompilerGeneratedAttribute>() != null && !f.Name.Contains("BackingField")) continue;
                        var name = f.Name.StartsWith('<') ? f.Name[1..f.Name.IndexOf('>')] : f.Name;
                        var value = f.GetValue(this);
                        // a field seen before keeps its place and takes its current value (RegisterComponents scans again)
                        if (value is Parameter p)
                        {
                            int at = parameters_.FindIndex(x => x.name == name);
                            if (at >= 0) parameters_[at] = (name, p);
                            else if (!parameters_.Any(x => ReferenceEquals(x.p, p))) parameters_.Add((name, p));
                        }
                        else if (value is Module m)
                        {
                            int at = modules_.FindIndex(x => x.name == name);
                            if (at >= 0) modules_[at] = (name, m);
                            else if (!modules_.Any(x => ReferenceEquals(x.m, m))) modules_.Add((name, m));
                        }
                    }
            }

            private IEnumerable<(string, Parameter?)> OwnParameters() { Discover(); return parameters_; }
            private IEnumerable<(string, Tensor)> OwnBuffers() { Discover(); return buffers_; }

            public IEnumerable<(string name, Module module)> named_children() { Discover(); return modules_; }
            public IEnumerable<Module> children() => named_children().Select(c => c.module);

            public IEnumerable<(string name, Module module)> named_modules(string prefix = "")
            {
                yield return (prefix, this);
                foreach (var (n, m) in named_children())
                    foreach (var sub in m.named_modules(prefix.Length == 0 ? n : $"{prefix}.{n}")) yield return sub;
            }
            public IEnumerable<Module> modules() => named_modules().Select(m => m.module);

            public IEnumerable<(string name, Parameter parameter)> named_parameters()
            {
                var seen = new HashSet<Parameter>(ReferenceEqualityComparer.Instance);
                foreach (var (prefix, m) in named_modules())
                    foreach (var (n, p) in m.OwnParameters())
                        if (p is not null && seen.Add(p)) yield return (prefix.Length == 0 ? n : $"{prefix}.{n}", p);
            }
            public IEnumerable<Parameter> parameters() => named_parameters().Select(p => p.parameter);

            public IEnumerable<(string name, Tensor buffer)> named_buffers()
            {
                foreach (var (prefix, m) in named_modules())
                    foreach (var (n, b) in m.OwnBuffers()) yield return (prefix.Length == 0 ? n : $"{prefix}.{n}", b);
            }

            /// <summary>The submodule at a dotted path ("blocks.5.attn.q_proj"); "" is this module.</summary>
            public Module get_submodule(string target)
            {
                ArgumentNullException.ThrowIfNull(target);
                Module current = this;
                if (target.Length == 0) return current;
                var walked = "";
                foreach (var part in target.Split('.'))
                {
                    var child = current.named_children().Where(c => c.name == part).Select(c => c.module).FirstOrDefault();
                    if (child is null)
                        throw new ArgumentException($"{(walked.Length == 0 ? GetType().Name : $"'{walked}' ({current.GetType().Name})")} has no submodule '{part}' (it has: {string.Join(", ", current.named_children().Select(c => c.name))})", nameof(target));
                    walked = walked.Length == 0 ? part : $"{walked}.{part}";
                    current = child;
                }
                return current;
            }

            /// <summary>
            /// Replaces the submodule at a dotted path, as PyTorch's <c>set_submodule</c>. The parent's field that held the
            /// old module now holds the new one, so its forward uses it; the new module must fit the field's type.
            /// </summary>
            public void set_submodule(string target, Module module)
            {
                ArgumentNullException.ThrowIfNull(module);
                if (string.IsNullOrEmpty(target)) throw new ArgumentException("set_submodule needs the path of a submodule, not \"\"", nameof(target));
                int dot = target.LastIndexOf('.');
                var parent = get_submodule(dot < 0 ? "" : target[..dot]);
                parent.replace_child(dot < 0 ? target : target[(dot + 1)..], module);
            }

            private void replace_child(string name, Module module)
            {
                Discover();
                int index = modules_.FindIndex(c => c.name == name);
                if (index < 0) throw new ArgumentException($"{GetType().Name} has no submodule '{name}' (it has: {string.Join(", ", modules_.Select(c => c.name))})");
                var old = modules_[index].m;
                FieldInfo? holder = null;
                for (var t = GetType(); t != null && t != typeof(Module) && holder is null; t = t.BaseType)
                    holder = t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly)
                              .FirstOrDefault(f => ReferenceEquals(f.GetValue(this), old));
                if (holder != null && !holder.FieldType.IsInstanceOfType(module))
                    throw new ArgumentException($"{GetType().Name}.{holder.Name} holds a {holder.FieldType.Name}; a {module.GetType().Name} is not one");
                child_replacing(name, old, module);
                holder?.SetValue(this, module);
                modules_[index] = (name, module);
            }

            /// <summary>
            /// Called before a child registered under <paramref name="name"/> is replaced; containers that keep their own list
            /// of children (ModuleList, Sequential) update it here, and throw if the new module does not fit.
            /// </summary>
            protected virtual void child_replacing(string name, Module old, Module replacement) { }

            /// <summary>Sets requires_grad on every parameter (false freezes the module), as PyTorch's <c>requires_grad_</c>.</summary>
            public Module requires_grad_(bool requires_grad = true)
            {
                foreach (var p in parameters()) p.requires_grad = requires_grad;
                return this;
            }

            /// <summary>Number of learnable elements.</summary>
            public long num_parameters() => parameters().Sum(p => p.numel());

            /// <summary>Every parameter and buffer by its dotted name (the tensors themselves, not copies).</summary>
            public Dictionary<string, Tensor> state_dict()
            {
                var d = new Dictionary<string, Tensor>();
                foreach (var (n, p) in named_parameters()) d[n] = p;
                foreach (var (n, b) in named_buffers()) d[n] = b;
                return d;
            }

            /// <summary>Copies values into this module's tensors. Names, shapes and dtypes must match.</summary>
            public void load_state_dict(IReadOnlyDictionary<string, Tensor> source, bool strict = true)
            {
                var own = state_dict();
                var missing = own.Keys.Where(k => !source.ContainsKey(k)).ToList();
                var unexpected = source.Keys.Where(k => !own.ContainsKey(k)).ToList();
                if (strict && (missing.Count > 0 || unexpected.Count > 0))
                    throw new ArgumentException($"state dict does not match {GetType().Name}: missing [{string.Join(", ", missing)}], unexpected [{string.Join(", ", unexpected)}]");
                foreach (var (name, target) in own)
                {
                    if (!source.TryGetValue(name, out var value)) continue;
                    if (!target.shape.SequenceEqual(value.shape))
                        throw new ArgumentException($"'{name}': shape [{string.Join(", ", value.shape)}] in the state dict, [{string.Join(", ", target.shape)}] in the module");
                    using (no_grad()) target.copy_(value);
                }
            }

            /// <summary>Saves parameters and buffers as a .safetensors file (readable by PyTorch's safetensors).</summary>
            public void save(string path) => Serialization.SafeTensors.Save(path, state_dict());

            /// <summary>Loads parameters and buffers from a .safetensors file written by save() or by PyTorch.</summary>
            public void load(string path, bool strict = true)
            {
                var loaded = Serialization.SafeTensors.Load(path);
                try { load_state_dict(loaded, strict); }
                catch (ArgumentException e) { throw new InvalidDataException($"{path}: {e.Message}", e); }
                finally { foreach (var t in loaded.Values) t.Dispose(); }
            }

            /// <summary>
            /// TorchSharp.PyBridge's names for <see cref="save"/> and <see cref="load"/> (TorchSharp's own save and load
            /// use a format of its own): code that saves and loads through these reads the same files on both bindings.
            /// </summary>
            public Module save_safetensors(string location) { save(location); return this; }
            public Module load_safetensors(string location, bool strict = true) { load(location, strict); return this; }

            public virtual Module train(bool on = true) { foreach (var m in modules()) m.training = on; return this; }
            public Module eval() => train(false);

            /// <summary>Moves every parameter and buffer (in place: optimizers keep working).</summary>
            public virtual Module to(Device device) { Apply(t => t.to(device)); return this; }
            public Module to(ScalarType dtype) { Apply(t => t.dtype.IsFloatingPoint() ? t.to(dtype) : t.clone()); return this; }
            public Module cuda(int index = 0) => to(new Device(DeviceType.CUDA, index));
            public Module cpu() => to(Device.CPU);

            protected void Apply(Func<Tensor, Tensor> fn)
            {
                using var scope = NewDisposeScope();
                using var _ = no_grad();
                foreach (var t in state_dict().Values) t.set_data(fn(t));
            }

            public void zero_grad() { foreach (var p in parameters()) p.grad = null; }

            public void Dispose()
            {
                foreach (var t in state_dict().Values) t.Dispose();
                GC.SuppressFinalize(this);
            }

            /// <summary>What goes between the parentheses of this module's description.</summary>
            public virtual string extra_repr() => "";

            public override string ToString()
            {
                var children = named_children().ToList();
                var sb = new StringBuilder(GetType().Name).Append('(').Append(extra_repr());
                if (children.Count > 0)
                {
                    sb.Append('\n');
                    foreach (var (n, m) in children)
                        sb.Append("  (").Append(n).Append("): ").Append(m.ToString().Replace("\n", "\n  ")).Append('\n');
                }
                return sb.Append(')').ToString();
            }
        }

        /// <summary>A module with one input: implement forward; call it with forward(x) or call(x).</summary>
        public abstract class Module<TIn, TOut> : Module
        {
            protected Module() { }
            protected Module(string name) : base(name) { }
            public abstract TOut forward(TIn input);
            public TOut call(TIn input) => forward(input);
        }

        /// <summary>A module with two inputs (e.g. a sequence and its mask).</summary>
        public abstract class Module<TIn1, TIn2, TOut> : Module
        {
            protected Module() { }
            protected Module(string name) : base(name) { }
            public abstract TOut forward(TIn1 input1, TIn2 input2);
            public TOut call(TIn1 input1, TIn2 input2) => forward(input1, input2);
        }
    }
}
