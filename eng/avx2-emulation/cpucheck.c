#include <stdio.h>
#include <immintrin.h>
__attribute__((target("avx2")))
static void test_maddubs(void){
  /* 255*127 + 255*127 = 64770 -> saturates to 32767 with vpmaddubsw */
  __m256i a=_mm256_set1_epi8((char)255), b=_mm256_set1_epi8(127);
  __m256i r=_mm256_maddubs_epi16(a,b);
  short out[16]; _mm256_storeu_si256((__m256i*)out,r);
  printf("vpmaddubsw ymm(255*127+255*127) = %d (exact 64770, saturated 32767)\n", out[0]);
}
__attribute__((target("fma")))
static void test_fma(void){
  __m256 x=_mm256_set1_ps(1.5f); __m256 y=_mm256_fmadd_ps(x,x,x); float o[8]; _mm256_storeu_ps(o,y);
  printf("vfmadd ymm 1.5*1.5+1.5 = %g\n", o[0]);
}
int main(void){
  __builtin_cpu_init();
  printf("avx=%d avx2=%d fma=%d f16c=%d bmi2=%d avx512f=%d avx512bw=%d avx512vl=%d avx512vnni=%d avxvnni=%d\n",
    __builtin_cpu_supports("avx")!=0, __builtin_cpu_supports("avx2")!=0, __builtin_cpu_supports("fma")!=0,
    __builtin_cpu_supports("f16c")!=0, __builtin_cpu_supports("bmi2")!=0,
    __builtin_cpu_supports("avx512f")!=0, __builtin_cpu_supports("avx512bw")!=0, __builtin_cpu_supports("avx512vl")!=0,
    __builtin_cpu_supports("avx512vnni")!=0, __builtin_cpu_supports("avxvnni")!=0);
  if(__builtin_cpu_supports("avx2")) test_maddubs();
  if(__builtin_cpu_supports("fma")) test_fma();
  return 0;
}
