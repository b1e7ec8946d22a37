/* geninput: write a deterministic float32 raw tensor.
   usage: geninput OUT.raw N C H W [seed]   -- smooth sine/cosine pattern, ImageNet-normalized range (~[-2.1,2.6]) */
#include <stdio.h>
#include <stdlib.h>
#include <math.h>
int main(int argc,char**argv){
  if(argc<6){fprintf(stderr,"usage: %s OUT.raw N C H W [seed]\n",argv[0]);return 1;}
  int N=atoi(argv[2]),C=atoi(argv[3]),H=atoi(argv[4]),W=atoi(argv[5]); double s=argc>6?atof(argv[6]):1.0;
  const float mean[3]={0.485f,0.456f,0.406f}, sd[3]={0.229f,0.224f,0.225f};
  FILE*f=fopen(argv[1],"wb"); if(!f){perror(argv[1]);return 1;}
  for(int n=0;n<N;n++)for(int c=0;c<C;c++)for(int y=0;y<H;y++)for(int x=0;x<W;x++){
    double p=0.5+0.25*sin(0.07*s*x+0.5*c+n)+0.25*cos(0.05*s*y*(c+1)+0.013*x*y/ (double)W*s);
    if(p<0)p=0; if(p>1)p=1;
    float v=(float)((p-mean[c%3])/sd[c%3]); fwrite(&v,4,1,f);}
  fclose(f); return 0;}
