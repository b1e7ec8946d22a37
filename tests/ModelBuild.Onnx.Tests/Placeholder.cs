namespace ModelBuild.Onnx.Tests; public class Placeholder { [Fact] public void Builds() { } }
