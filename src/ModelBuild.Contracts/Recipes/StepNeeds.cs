using System;

namespace ModelBuild.Contracts.Recipes
{
    /// <summary>
    /// What a step needs before it can run. Data needs are checked by the task and the CLI before anything runs;
    /// graph needs are met by the preparation steps that provide them (<see cref="StepDefinition.Provides"/>), which
    /// the pipeline inserts once, before the first step that needs them. The opset a step needs is
    /// <see cref="StepDefinition.MinimumOpset"/>.
    /// </summary>
    [Flags]
    public enum StepNeeds
    {
        None = 0,
        /// <summary>Representative inputs (CalibrationData, <c>--calibration-data</c>).</summary>
        CalibrationData = 1,
        /// <summary>Inputs to measure on (EvaluationData, <c>--evaluation-data</c>).</summary>
        EvaluationData = 2,
        /// <summary>Weights as initializers: Constant nodes hoisted, constant Reshapes of weights folded.</summary>
        WeightsAsInitializers = 4,
        /// <summary>BatchNormalization and per-channel Add folded into the Conv before them.</summary>
        FoldedNormalization = 8,
        /// <summary>The default-domain opset raised to the step's <see cref="StepDefinition.MinimumOpset"/>.</summary>
        Opset = 16,
    }
}
