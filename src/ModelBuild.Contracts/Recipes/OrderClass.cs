namespace ModelBuild.Contracts.Recipes
{
    /// <summary>
    /// When a step runs: a recipe lists its steps in this order, and the pipeline runs them so. Preparation readies
    /// the float graph, graph surgery changes what the float model computes (pruning, weight sharing), weight
    /// representation chooses how the weights are stored (at most one per recipe), weight sharing limits the values the
    /// stored weights take (k-means clusters on whatever grid the representation left: float, or int8 after
    /// <c>int8</c>), packing encodes the finished file.
    /// </summary>
    public enum OrderClass
    {
        Preparation,
        GraphSurgery,
        WeightRepresentation,
        WeightSharing,
        Packing,
    }
}
