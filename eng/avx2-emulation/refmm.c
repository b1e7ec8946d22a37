/* refmm X.raw(float 0..255) B.raw(int8) M K N EXACT.raw SAT.raw
   EXACT = sum_k x*b in int32;  SAT = sum over pairs (k,k+1) of sat16(x_k*b_k + x_k+1*b_k+1)  (vpmaddubsw model) */
#include <stdio.h>
#include <stdlib.h>
static int sat16(int v){return v>32767?32767:v<-32768?-32768:v;}
int main(int c,char**v){ if(c<8)return 1; int M=atoi(v[3]),K=atoi(v[4]),N=atoi(v[5]);
 float*x=malloc(4L*M*K); signed char*b=malloc((long)K*N); FILE*f=fopen(v[1],"rb"); if(fread(x,4,(size_t)M*K,f)!=(size_t)M*K)return 2; fclose(f);
 f=fopen(v[2],"rb"); if(fread(b,1,(size_t)K*N,f)!=(size_t)K*N)return 2; fclose(f);
 FILE*fe=fopen(v[6],"wb"),*fs=fopen(v[7],"wb"); long nsat=0;
 for(int m=0;m<M;m++)for(int n=0;n<N;n++){ long e=0,s=0; for(int k=0;k<K;k+=2){ int a0=(unsigned char)(int)x[m*K+k], a1=k+1<K?(unsigned char)(int)x[m*K+k+1]:0;
   int p=a0*b[k*N+n]+(k+1<K?a1*b[(k+1)*N+n]:0); e+=p; if(sat16(p)!=p)nsat++; s+=sat16(p);} float fe_=(float)e,fs_=(float)s; fwrite(&fe_,4,1,fe); fwrite(&fs_,4,1,fs);}
 fclose(fe);fclose(fs); printf("pairs saturated: %ld of %ld\n",nsat,(long)M*N*((K+1)/2)); return 0;}
