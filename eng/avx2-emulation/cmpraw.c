/* cmpraw A.raw B.raw [rows]: compare two float32 raw files (max/mean abs diff, #different, argmax per row) */
#include <stdio.h>
#include <stdlib.h>
#include <math.h>
static float* rd(const char*p,long*n){FILE*f=fopen(p,"rb");if(!f){perror(p);exit(1);}fseek(f,0,SEEK_END);*n=ftell(f)/4;rewind(f);float*b=malloc(*n*4);if(fread(b,4,*n,f)!=(size_t)*n)exit(1);fclose(f);return b;}
int main(int argc,char**argv){
  if(argc<3){fprintf(stderr,"usage: %s A.raw B.raw [rows]\n",argv[0]);return 1;}
  long na,nb; float*a=rd(argv[1],&na),*b=rd(argv[2],&nb);
  if(na!=nb){printf("size mismatch %ld vs %ld\n",na,nb);return 2;}
  int rows=argc>3?atoi(argv[3]):1; long per=na/rows;
  double mx=0,sum=0; long ndiff=0,imx=0;
  for(long i=0;i<na;i++){double d=fabs((double)a[i]-b[i]); if(a[i]!=b[i])ndiff++; sum+=d; if(d>mx){mx=d;imx=i;}}
  printf("elements=%ld differing=%ld max_abs_diff=%.6g (at %ld: %.6g vs %.6g) mean_abs_diff=%.6g\n",na,ndiff,mx,imx,imx<na?a[imx]:0,imx<na?b[imx]:0,sum/na);
  int argdiff=0;
  for(int r=0;r<rows;r++){long ia=0,ib=0;for(long i=1;i<per;i++){if(a[r*per+i]>a[r*per+ia])ia=i;if(b[r*per+i]>b[r*per+ib])ib=i;}
    if(rows<=16||ia!=ib)printf("row %d: argmax A=%ld (%.5g) B=%ld (%.5g)%s\n",r,ia,a[r*per+ia],ib,b[r*per+ib],ia!=ib?"  <-- DIFFERENT":"");
    if(ia!=ib)argdiff++;}
  printf("rows=%d argmax_differs=%d\n",rows,argdiff);
  return ndiff?3:0;}
