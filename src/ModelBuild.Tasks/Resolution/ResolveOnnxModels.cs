using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using ModelBuild.Contracts.Diagnostics;
using ModelBuild.Contracts.Naming;
using ModelBuild.Contracts.Options;
using ModelBuild.Contracts.Recipes;
using ModelBuild.Tasks.ExternalData;

namespace ModelBuild.Tasks.Resolution;

/// <summary>
/// Checks every <c>OnnxModel</c> item (their defaults come from the targets' ItemDefinitionGroup) and predicts where
/// each model's outputs go. Every problem is logged before the task fails, so one build shows them all.
/// </summary>
public sealed class ResolveOnnxModels : Task
{
    /// <summary>The user's <c>OnnxModel</c> items.</summary>
    [Required]
    public ITaskItem[] Models { get; set; } = Array.Empty<ITaskItem>();

    /// <summary>The project file, named in errors about item metadata so they are clickable.</summary>
    [Required]
    public string ProjectFile { get; set; } = "";

    [Required]
    public string ProjectDirectory { get; set; } = "";

    /// <summary>The extension of a compressed model that is a ModelBuild container (a packed recipe's output).</summary>
    public const string ContainerExtension = ".mbc";

    /// <summary>Where per-model output folders go: <c>$(IntermediateOutputPath)modelbuild/</c>.</summary>
    [Required]
    public string OutputRoot { get; set; } = "";

    public string RootNamespace { get; set; } = "";

    /// <summary>The <c>modelbuild.dll</c> that compresses; its version goes into each settings stamp.</summary>
    [Required]
    public string CliPath { get; set; } = "";

    /// <summary>False in design-time builds, which only predict outputs and never run the CLI.</summary>
    public bool RequireCli { get; set; } = true;

    /// <summary>One item per model (the full model path) with the resolved metadata the targets use.</summary>
    [Output]
    public ITaskItem[] ResolvedModels { get; private set; } = Array.Empty<ITaskItem>();

    /// <summary>The CLI's product version (with the commit when the build recorded one).</summary>
    [Output]
    public string ToolVersion { get; private set; } = "";

    public override bool Execute()
    {
        ToolVersion = ReadToolVersion();
        var resolved = new List<ITaskItem>();
        var classOwners = new ClassClashes<string>();
        foreach (var model in Models)
        {
            var item = Resolve(model);
            if (item is null)
                continue;
            if (!classOwners.TryClaim(item.GetMetadata("Namespace"), item.GetMetadata("ClassName"), model.ItemSpec, out var owner, out var fullClassName))
            {
                LogProjectError(DiagnosticCodes.ClassClash,
                    $"OnnxModel '{model.ItemSpec}' would generate class '{fullClassName}', which OnnxModel '{owner}' already generates. " +
                    "Set a different ClassName or Namespace on one of them.");
                continue;
            }
            resolved.Add(item);
        }
        ResolvedModels = resolved.ToArray();
        return !Log.HasLoggedErrors;
    }

    private string ReadToolVersion()
    {
        if (File.Exists(CliPath))
            return FileVersionInfo.GetVersionInfo(CliPath).ProductVersion ?? "";
        if (RequireCli)
        {
            LogProjectError(DiagnosticCodes.CliNotFound,
                $"The modelbuild command line was not found at '{CliPath}'. " +
                "Restore the ModelBuild package again, or set ModelBuildCliPath to a built modelbuild.dll.");
        }
        return "";
    }

    private ITaskItem? Resolve(ITaskItem model)
    {
        var modelPath = Path.GetFullPath(Path.Combine(ProjectDirectory, model.ItemSpec));
        var valid = true;
        if (!File.Exists(modelPath))
        {
            LogProjectError(DiagnosticCodes.ModelNotFound,
                $"OnnxModel '{model.ItemSpec}': the model file was not found at '{modelPath}'. " +
                "Fix the Include path, or add the model file (if it is tracked with Git LFS, run 'git lfs pull').");
            valid = false;
        }

        var requestedRecipe = model.GetMetadata("Compression");
        Recipe? recipe = null;
        try
        {
            recipe = Recipe.Parse(requestedRecipe);
        }
        catch (RecipeException e)
        {
            LogProjectError(DiagnosticCodes.UnknownRecipe,
                $"OnnxModel '{model.ItemSpec}': unknown Compression '{requestedRecipe}': {e.Reason}. " +
                $"Expected {RecipeSteps.Expected}. Set Compression to one of them.");
            valid = false;
        }

        var className = OrDefault(model.GetMetadata("ClassName"), CSharpIdentifier.FromFileName(Path.GetFileNameWithoutExtension(modelPath)));
        if (!CSharpIdentifier.IsValidTypeName(className))
        {
            LogProjectError(DiagnosticCodes.InvalidIdentifier,
                $"OnnxModel '{model.ItemSpec}': ClassName '{className}' is not a valid C# identifier. " +
                "Set ClassName to a name that starts with a letter or '_' and holds only letters, digits and '_' (not a C# keyword).");
            valid = false;
        }
        else if (GeneratedClassNames.IsGeneratedMemberName(className))
        {
            LogProjectError(DiagnosticCodes.InvalidIdentifier,
                $"OnnxModel '{model.ItemSpec}': ClassName '{className}' is the name of a member of the generated class " +
                $"({string.Join(", ", GeneratedClassNames.GeneratedMemberNames)}), and a C# class cannot have a member named like itself. " +
                $"Set ClassName to another name, such as '{className}Model'.");
            valid = false;
        }

        var @namespace = OrDefault(model.GetMetadata("Namespace"), DefaultNamespace(modelPath));
        if (!CSharpIdentifier.IsValidDottedName(@namespace))
        {
            LogProjectError(DiagnosticCodes.InvalidIdentifier,
                $"OnnxModel '{model.ItemSpec}': Namespace '{@namespace}' is not a valid C# namespace. " +
                "Set Namespace (or RootNamespace) to dot-separated identifiers, such as 'MyApp.Models'.");
            valid = false;
        }

        var options = recipe is null ? null : CompressionOptions.Read(model, recipe, ProjectDirectory, LogProjectError);
        return valid && options is not null ? Describe(model, modelPath, recipe!, className, @namespace, options) : null;
    }

    private TaskItem Describe(ITaskItem model, string modelPath, Recipe recipe, string className, string @namespace, CompressionOptions options)
    {
        // Namespace and class both name the folder, so same-named models in different folders do not collide.
        var outputDirectory = Path.Combine(Path.GetFullPath(Path.Combine(ProjectDirectory, OutputRoot)), @namespace + "." + className);
        var item = new TaskItem(modelPath);
        item.SetMetadata("OriginalItemSpec", model.ItemSpec);
        item.SetMetadata("Compression", recipe.Text);
        item.SetMetadata("ClassName", className);
        item.SetMetadata("Namespace", @namespace);
        item.SetMetadata("ResourceName", $"ModelBuild.{@namespace}.{className}.onnx");
        item.SetMetadata("OutputDirectory", outputDirectory + Path.DirectorySeparatorChar);
        // Named for what it is: a packed recipe writes a ModelBuild container (.mbc), which Netron and other tools cannot
        // open, so the ONNX it decodes to goes beside it (not embedded). The resource keeps its name: the generated
        // class loads it by that name and tells a container from ONNX by its first bytes.
        item.SetMetadata("CompressedPath", Path.Combine(outputDirectory, className + (recipe.IsPacked ? ContainerExtension : ".onnx")));
        item.SetMetadata("DecodedPath", recipe.IsPacked ? Path.Combine(outputDirectory, className + ".decoded.onnx") : "");
        // 'auto' learns only when it chooses whether its result is packed: <Class>.onnx is then always ONNX (the model,
        // or the one the container decodes to), and <Class>.mbc exists only when it chose a packed recipe.
        item.SetMetadata("ContainerPath", recipe.IsAuto ? Path.Combine(outputDirectory, className + ContainerExtension) : "");
        item.SetMetadata("DescriptionPath", Path.Combine(outputDirectory, className + ".modeldesc"));
        item.SetMetadata("StampPath", Path.Combine(outputDirectory, className + ".settings"));
        // The CLI writes a report whenever it measures the model, which needs evaluation data.
        var reportPath = options.Data(ItemOptions.EvaluationData).IsEmpty ? "" : Path.Combine(outputDirectory, className + ".report.md");
        item.SetMetadata("ReportPath", MSBuildEscaping.Escape(reportPath));
        item.SetMetadata("HtmlReportPath", MSBuildEscaping.Escape(reportPath.Length == 0 ? "" : Path.ChangeExtension(reportPath, ".html")));
        foreach (var option in ItemOptions.All)
            item.SetMetadata(option.MetadataName, MSBuildEscaping.Escape(options[option]));
        // What 'native' means depends on the machine; the stamp (and so the cache key) says which one it was.
        item.SetMetadata("TargetMachine", options[ItemOptions.TargetCpu] == "native" ? MSBuildEscaping.Escape(BuildMachine.Identity()) : "");
        item.SetMetadata("ResultPath", Path.Combine(outputDirectory, className + ".result.json"));
        var dependencyPath = Path.Combine(outputDirectory, className + ".datafiles");
        item.SetMetadata("DependencyPath", dependencyPath);
        // The data files the last run read (its dependency file): the compress target's inputs, one file each
        // (unescaped ';' on purpose). None before the first run, which compresses anyway.
        var dataFiles = RequireCli && File.Exists(dependencyPath) ? File.ReadAllLines(dependencyPath).Where(line => line.Length > 0).ToList() : new List<string>();
        item.SetMetadata("DataFiles", string.Join(";", dataFiles.Select(MSBuildEscaping.Escape)));
        // Which files the data specs name now (folders and patterns listed, nothing parsed): a file added to or
        // removed from a data folder changes the stamp, even when its time is older than the outputs. Design-time
        // builds never compress, so they need not walk the data folders.
        var listed = RequireCli
            ? ItemOptions.All.Where(option => option.Kind == ItemOptionKind.DataSpec).SelectMany(option => options.Data(option).Files()).Distinct()
            : Enumerable.Empty<string>();
        item.SetMetadata("DataFileList", CompressionOptions.DataFileListHash(listed.Select(ProjectRelative)));
        // The model's own external data files: inputs of its compress target like the model (their list is in the
        // model's bytes, so adding or removing one changes an input already).
        var externalFiles = RequireCli && File.Exists(modelPath) ? ExternalDataFiles.Of(modelPath) : Array.Empty<string>();
        item.SetMetadata("ExternalDataFiles", string.Join(";", externalFiles.Select(MSBuildEscaping.Escape)));
        return item;
    }

    /// <summary>$(RootNamespace) plus the model's folder inside the project, like manifest resource names.</summary>
    private string DefaultNamespace(string modelPath)
    {
        var projectDirectory = Path.GetFullPath(ProjectDirectory).TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar)
            + Path.DirectorySeparatorChar;
        var modelDirectory = Path.GetDirectoryName(modelPath) + Path.DirectorySeparatorChar;
        // A model outside the project has no meaningful folder; it goes straight into the root namespace.
        var folder = modelDirectory.StartsWith(projectDirectory, StringComparison.Ordinal)
            ? modelDirectory.Substring(projectDirectory.Length)
            : "";
        return CSharpIdentifier.ToDottedName(RootNamespace + "." + folder);
    }

    // Relative paths keep the stamp, and so the cache key, the same for the project in another folder.
    private string ProjectRelative(string path)
    {
        var project = Path.GetFullPath(ProjectDirectory).TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar) + Path.DirectorySeparatorChar;
        return path.StartsWith(project, StringComparison.Ordinal) ? path.Substring(project.Length).Replace('\\', '/') : path;
    }

    private static string OrDefault(string value, string fallback) => value.Length > 0 ? value : fallback;

    private void LogProjectError(string code, string message) =>
        Log.LogError(subcategory: null, code, helpKeyword: null, ProjectFile, 0, 0, 0, 0, message);
}
