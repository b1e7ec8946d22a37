/* genuniform OUT.raw COUNT MODE : MODE=255 -> all 255.0 ; MODE=rand -> pseudo-random integers 0..255 (as float) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
int main(int c,char**v){ if(c<4)return 1; long n=atol(v[2]); FILE*f=fopen(v[1],"wb"); unsigned s=12345;
 for(long i=0;i<n;i++){ float x; if(!strcmp(v[3],"rand")){ s=s*1103515245u+12345u; x=(float)((s>>16)&255);} else x=(float)atof(v[3]); fwrite(&x,4,1,f);} fclose(f); return 0;}
