using System.Runtime.InteropServices;
using ModelBuild.Compression.Targets;
using ModelBuild.Runtime.Cpu;

namespace ModelBuild.Compression.Tests.Targets;

public sealed class TargetCpusTests
{
    private static readonly InstructionSet Avx2Only = new(Architecture.X64, Avx2: true, Avx512: false, Avx512Vnni: false, AvxVnni: false, AmxInt8: false, ArmDotProduct: false);
    private static readonly InstructionSet Avx512WithoutVnni = Avx2Only with { Avx512 = true };
    private static readonly InstructionSet Avx512Vnni = Avx512WithoutVnni with { Avx512Vnni = true };
    private static readonly InstructionSet AlderLake = Avx2Only with { AvxVnni = true };
    private static readonly InstructionSet Arm64 = new(Architecture.Arm64, false, false, false, false, false, ArmDotProduct: true);

    [Fact]
    public void Only_x64_without_any_vnni_or_amx_saturates()
    {
        Assert.True(Avx2Only.U8S8Saturates);
        Assert.True(Avx512WithoutVnni.U8S8Saturates);
        Assert.False(Avx512Vnni.U8S8Saturates);
        Assert.False(AlderLake.U8S8Saturates);
        Assert.False((Avx2Only with { AmxInt8 = true }).U8S8Saturates);
        Assert.False(Arm64.U8S8Saturates);
    }

    [Fact]
    public void Native_is_the_named_target_of_the_machine()
    {
        Assert.Equal(TargetCpu.X64Avx2, TargetCpus.NativeTargetOf(Avx2Only));
        Assert.Equal(TargetCpu.X64Avx2, TargetCpus.NativeTargetOf(Avx512WithoutVnni));
        Assert.Equal(TargetCpu.X64Vnni, TargetCpus.NativeTargetOf(Avx512Vnni));
        Assert.Equal(TargetCpu.X64Vnni, TargetCpus.NativeTargetOf(AlderLake));
        Assert.Equal(TargetCpu.Arm64, TargetCpus.NativeTargetOf(Arm64));
        Assert.True(TargetCpus.TryParse("native", Avx2Only, out var native));
        Assert.Equal(TargetCpu.X64Avx2, native);
    }

    [Theory]
    [InlineData("portable", TargetCpu.Portable)]
    [InlineData("X64-VNNI", TargetCpu.X64Vnni)]
    [InlineData(" x64-avx2 ", TargetCpu.X64Avx2)]
    [InlineData("arm64", TargetCpu.Arm64)]
    public void Names_parse_case_insensitively(string text, TargetCpu expected)
    {
        Assert.True(TargetCpus.TryParse(text, Avx512Vnni, out var target));
        Assert.Equal(expected, target);
        Assert.Contains(TargetCpus.Name(target), TargetCpus.Names);
    }

    [Fact]
    public void An_unknown_name_does_not_parse() => Assert.False(TargetCpus.TryParse("x86-sse", Avx2Only, out _));

    [Fact]
    public void Every_target_scheme_is_exact_on_its_own_cpus_and_portable_on_all()
    {
        Assert.True(TargetCpus.IsExactOn(TargetCpus.SchemeFor(TargetCpu.Portable), Avx2Only));
        Assert.True(TargetCpus.IsExactOn(TargetCpus.SchemeFor(TargetCpu.Portable), Avx512Vnni));
        Assert.True(TargetCpus.IsExactOn(TargetCpus.SchemeFor(TargetCpu.X64Avx2), Avx2Only));
        Assert.True(TargetCpus.IsExactOn(TargetCpus.SchemeFor(TargetCpu.X64Vnni), Avx512Vnni));
        Assert.True(TargetCpus.IsExactOn(TargetCpus.SchemeFor(TargetCpu.Arm64), Arm64));
        Assert.False(TargetCpus.IsExactOn(TargetCpus.SchemeFor(TargetCpu.X64Vnni), Avx2Only));
    }

    [Fact]
    public void The_instruction_set_is_described_by_its_features()
    {
        Assert.Equal("x64 AVX2, no VNNI", Avx2Only.Describe());
        Assert.Equal("x64 AVX2, AVX-512, AVX-512 VNNI", Avx512Vnni.Describe());
        Assert.Equal("ARM64 with dot product", Arm64.Describe());
        Assert.False(string.IsNullOrWhiteSpace(InstructionSet.Current.Describe()));
    }
}
