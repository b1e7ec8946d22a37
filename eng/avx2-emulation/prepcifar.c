/* prepcifar OUT.raw OUT_LABELS.csv PERCLASS DIR : CIFAR-10 test-2000 (DIR/<class>/NNNN.jpg, classes airplane..truck = 0..9)
   -> NCHW float32 [10*PERCLASS,3,32,32], RGB, (x/255-mean)/std with mean (0.4914,0.4822,0.4465), std (0.2470,0.2435,0.2616).
   Images are taken class by class in turn (image 0 of each class, then image 1, ...), so any prefix covers all classes. */
#include <stdio.h>
#include <stdlib.h>
#include <jpeglib.h>
static const char* cls[10]={"airplane","automobile","bird","cat","deer","dog","frog","horse","ship","truck"};
int main(int argc,char**argv){
  if(argc<5){fprintf(stderr,"usage: %s OUT.raw LABELS.csv PERCLASS DIR\n",argv[0]);return 1;}
  const float mean[3]={0.4914f,0.4822f,0.4465f}, sd[3]={0.2470f,0.2435f,0.2616f}; const int S=32;
  int per=atoi(argv[3]); FILE*fo=fopen(argv[1],"wb"); FILE*fl=fopen(argv[2],"w"); float plane[3*32*32]; char path[4096];
  for(int i=0;i<per;i++) for(int k=0;k<10;k++){
    snprintf(path,sizeof path,"%s/%s/%04d.jpg",argv[4],cls[k],i);
    FILE*fi=fopen(path,"rb"); if(!fi){perror(path);return 1;}
    struct jpeg_decompress_struct c; struct jpeg_error_mgr e; c.err=jpeg_std_error(&e); jpeg_create_decompress(&c);
    jpeg_stdio_src(&c,fi); jpeg_read_header(&c,TRUE); c.out_color_space=JCS_RGB; jpeg_start_decompress(&c);
    if(c.output_width!=S||c.output_height!=S){fprintf(stderr,"%s: not 32x32\n",path);return 1;}
    unsigned char img[32*32*3];
    while(c.output_scanline<c.output_height){unsigned char*row=img+(size_t)c.output_scanline*S*3; jpeg_read_scanlines(&c,&row,1);}
    jpeg_finish_decompress(&c); jpeg_destroy_decompress(&c); fclose(fi);
    for(int ch=0;ch<3;ch++)for(int p=0;p<S*S;p++) plane[ch*S*S+p]=(img[p*3+ch]/255.0f-mean[ch])/sd[ch];
    fwrite(plane,sizeof(float),3*S*S,fo); fprintf(fl,"%s/%04d.jpg,%d\n",cls[k],i,k);
  }
  fclose(fo); fclose(fl); return 0;}
