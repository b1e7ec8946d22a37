using System;
using System.Collections.Generic;
using System.Linq;

namespace ModelBuild.Contracts.Recipes
{
    /// <summary>
    /// The recipe grammar's steps: the one place a step is registered (its name, order class, needs and parameters).
    /// A new step is an entry here plus one pass class in the compression library that names it
    /// (<c>[RecipeStep("name")]</c>); the task, the CLI and <c>auto</c> all parse recipes through <see cref="Recipe.Parse"/>.
    /// Preparation steps are listed in the order the pipeline inserts them.
    /// </summary>
    public static class RecipeSteps
    {
        public const string None = "none";
        public const string Auto = "auto";
        public const string UpgradeOpset = "upgrade-opset";
        public const string HoistConstants = "hoist-constants";
        public const string FoldReshapes = "fold-reshapes";
        public const string FoldBatchNorm = "fold-batchnorm";
        public const string Float16 = "fp16";
        public const string Int8Dynamic = "int8-dynamic";
        public const string Int8 = "int8";
        public const string Int8Full = "int8-full";
        public const string Huffman = "huffman";
        public const string Prune = "prune";
        public const string Int4 = "int4";
        public const string Int3 = "int3";
        public const string PruneChannels = "prune-channels";

        /// <summary>How much <c>prune-channels</c> removes: a fraction of the prunable output channels, of the multiply-accumulates, or of the measured layer time.</summary>
        public static readonly IReadOnlyList<StepParameter> PruneChannelsParameters = new[]
        {
            StepParameter.Number("fraction", "the fraction to remove", 0, 0.9, 0.3),
            StepParameter.Choice("of", "what the fraction counts: the output channels that can be removed safely, the model's multiply-accumulates, or its Conv/Gemm/MatMul time measured with ONNX Runtime's profiler", "channels", "macs", "latency"),
            StepParameter.Integer("multiple", "kept channel counts are multiples of this in groups whose count is one (ONNX Runtime's blocked CPU kernels take 8 channels at a time on AVX2, 16 on AVX-512; 1 cuts freely)", 1, 64, 16),
            StepParameter.Choice("repair", "how the layers after a cut are repaired: least squares per layer, then each block between residual-stream values trained by gradient descent to match the original's block output (blocks, BRECQ-style, calibration inputs only); or least squares alone (refit)", "blocks", "refit"),
        };
        public const string Cluster = "cluster";

        /// <summary>The opset static int8 needs (per-channel DequantizeLinear), and the highest the upgrader reaches.</summary>
        public const int QuantizationOpset = 13;

        /// <summary>The calibration parameters of <c>int8</c> and <c>int8-full</c>: <c>int8:percentile:99.9</c>.</summary>
        public static readonly IReadOnlyList<StepParameter> CalibrationParameters = new[]
        {
            StepParameter.Choice("calibration", "how activation ranges are found on the calibration data", "minmax", "percentile", "entropy"),
            StepParameter.Number("percentile", "the upper percentile percentile calibration keeps", 50, 100, 99.99) with { OnlyWith = ("calibration", "percentile") },
        };

        private const StepNeeds StaticInt8Needs =
            StepNeeds.CalibrationData | StepNeeds.Opset | StepNeeds.WeightsAsInitializers | StepNeeds.FoldedNormalization;

        /// <summary>The second-order steps (<c>prune</c>, <c>int4</c>, <c>int3</c>) read layer input statistics from the calibration data.</summary>
        private const StepNeeds SecondOrderNeeds =
            StepNeeds.CalibrationData | StepNeeds.WeightsAsInitializers | StepNeeds.FoldedNormalization;

        /// <summary>The parameters of <c>int4</c> and <c>int3</c>: <c>int4:rtn:0.05</c>.</summary>
        public static readonly IReadOnlyList<StepParameter> LowBitParameters = new[]
        {
            StepParameter.Choice("rounding", "GPTQ (error feedback from the layer's input statistics) or round-to-nearest", "gptq", "rtn"),
            StepParameter.Number("max-error", "the relative output error on the calibration data above which a layer stays 8-bit", 0, 1, 0.05),
        };

        public static IReadOnlyList<StepDefinition> All { get; } = new[]
        {
            new StepDefinition(UpgradeOpset, OrderClass.Preparation, "raises the default-domain opset, rewriting changed operators")
            {
                Provides = StepNeeds.Opset,
                Parameters = new[] { StepParameter.Integer("opset", "the opset to reach", 1, QuantizationOpset, QuantizationOpset) },
            },
            new StepDefinition(HoistConstants, OrderClass.Preparation, "moves Constant nodes to initializers") { Provides = StepNeeds.WeightsAsInitializers },
            new StepDefinition(FoldReshapes, OrderClass.Preparation, "folds constant Reshapes of weights into the weights") { Provides = StepNeeds.WeightsAsInitializers },
            new StepDefinition(FoldBatchNorm, OrderClass.Preparation, "folds BatchNormalization and per-channel Add into Conv") { Provides = StepNeeds.FoldedNormalization },
            new StepDefinition(PruneChannels, OrderClass.GraphSurgery, "removes whole filters and the input channels that read them, re-fitting the next layers on calibration data")
            {
                Needs = StepNeeds.CalibrationData | StepNeeds.WeightsAsInitializers | StepNeeds.FoldedNormalization,
                Parameters = PruneChannelsParameters,
            },
            new StepDefinition(Float16, OrderClass.WeightRepresentation, "float16 weights, widened to float32 at load") { Needs = StepNeeds.WeightsAsInitializers },
            new StepDefinition(Int8Dynamic, OrderClass.WeightRepresentation, "int8 weights, activations quantized at run time") { Needs = StepNeeds.WeightsAsInitializers },
            new StepDefinition(Int8, OrderClass.WeightRepresentation, "static int8, calibrated on data")
            {
                Needs = StaticInt8Needs, MinimumOpset = QuantizationOpset, Parameters = CalibrationParameters,
            },
            new StepDefinition(Int8Full, OrderClass.WeightRepresentation, "static int8 with uint8 model inputs and outputs")
            {
                Needs = StaticInt8Needs, MinimumOpset = QuantizationOpset, Parameters = CalibrationParameters,
            },
            // Issue 11 items 1 and 3 (second-order post-training compression): prune, int4, int3.
            new StepDefinition(Prune, OrderClass.GraphSurgery, "zeroes the smallest weights of Conv/Gemm/MatMul, repaired from calibration data")
            {
                Needs = SecondOrderNeeds,
                Parameters = new[]
                {
                    StepParameter.Number("sparsity", "the fraction of the layers' weights set to zero", 0, 0.99, 0.5),
                    StepParameter.Choice("allocation", "per-layer sparsities: measured output error, one global magnitude threshold, or the same in every layer", "sensitivity", "global", "uniform"),
                    StepParameter.Choice("repair", "second-order update and bias correction, bias correction only, or plain magnitude pruning", "obs", "bias", "none"),
                },
            },
            new StepDefinition(Int4, OrderClass.WeightRepresentation, "static int8 with 4-bit weights (per channel, [-7, 7]), rounded from calibration data")
            {
                Needs = SecondOrderNeeds | StepNeeds.Opset, MinimumOpset = QuantizationOpset, Parameters = LowBitParameters,
            },
            new StepDefinition(Int3, OrderClass.WeightRepresentation, "static int8 with 3-bit weights (per channel, [-3, 3]), rounded from calibration data")
            {
                Needs = SecondOrderNeeds | StepNeeds.Opset, MinimumOpset = QuantizationOpset, Parameters = LowBitParameters,
            },
            new StepDefinition(Cluster, OrderClass.WeightSharing, "k-means weight sharing: each layer weight takes at most 2^bits values per channel group, exact zeros kept")
            {
                Needs = StepNeeds.WeightsAsInitializers,
                Parameters = new[]
                {
                    StepParameter.Integer("bits", "the values per group are at most 2^bits", 2, 8, 4),
                    StepParameter.Integer("channels", "output channels per group sharing one set of values; 0: the whole tensor", 0, 65536, 0),
                    StepParameter.Choice("importance", "how an element's error is weighed: alike, or by its input channel's second moment on the calibration data (inputs; uniform without calibration data)", "uniform", "inputs"),
                },
            },
            new StepDefinition(Huffman, OrderClass.Packing, "entropy-coded weights in a ModelBuild container"),
        };

        /// <summary>The step named <paramref name="name"/> (case-insensitive), or null.</summary>
        public static StepDefinition? Find(string name) =>
            All.FirstOrDefault(step => string.Equals(step.Name, name, StringComparison.OrdinalIgnoreCase));

        /// <summary>What a recipe may be, for MB1005 messages and help text.</summary>
        public static string Expected =>
            $"one of {string.Join(", ", Recipe.All.Select(r => r.Name))}, or steps joined by '+' in the order " +
            $"preparation, graph surgery, weight representation (at most one), weight sharing, packing: " +
            string.Join("; ", All.Select(Describe)) +
            $"; '{None}' stores the weights as they are and '{Auto}' (alone) searches over recipes";

        private static string Describe(StepDefinition step) =>
            $"{step.Usage} ({Words(step.Order)}{string.Concat(step.Parameters.Select(p => "; " + p.Expected))})";

        /// <summary>The order class as the messages and docs name it.</summary>
        public static string Words(OrderClass order) => order switch
        {
            OrderClass.Preparation => "preparation",
            OrderClass.GraphSurgery => "graph surgery",
            OrderClass.WeightRepresentation => "weight representation",
            OrderClass.WeightSharing => "weight sharing",
            _ => "packing",
        };
    }
}
