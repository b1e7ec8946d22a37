/* score OUT.raw LABELS.csv NCLASSES : top-1 accuracy of argmax rows vs labels (csv: file,classid) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
int main(int c,char**v){ if(c<4)return 1; int K=atoi(v[3]); FILE*f=fopen(v[1],"rb"); fseek(f,0,SEEK_END); long n=ftell(f)/4/K; rewind(f);
 float*o=malloc(4L*n*K); if(fread(o,4,(size_t)n*K,f)!=(size_t)n*K)return 2; fclose(f);
 FILE*l=fopen(v[2],"r"); char line[512]; long i=0,ok=0;
 while(i<n && fgets(line,sizeof line,l)){ char*cm=strrchr(line,','); if(!cm)continue; int lab=atoi(cm+1);
   long am=0; for(int k=1;k<K;k++) if(o[i*K+k]>o[i*K+am]) am=k; ok+=(am==lab); i++; }
 printf("top1 %ld/%ld = %.2f%%\n",ok,i,100.0*ok/i); return 0;}
