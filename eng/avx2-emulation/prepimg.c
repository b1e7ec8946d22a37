/* prepimg OUT.raw IMG1.jpg [IMG2.jpg ...] : ImageNet preprocessing -> NCHW float32 [N,3,224,224]
   RGB, center-crop 224 (no resize; val-500 images are 227x227), x/255, mean (0.485,0.456,0.406), std (0.229,0.224,0.225) */
#include <stdio.h>
#include <stdlib.h>
#include <jpeglib.h>
int main(int argc,char**argv){
  if(argc<3){fprintf(stderr,"usage: %s OUT.raw IMG.jpg...\n",argv[0]);return 1;}
  const float mean[3]={0.485f,0.456f,0.406f}, sd[3]={0.229f,0.224f,0.225f}; const int S=224;
  FILE*fo=fopen(argv[1],"wb"); float*plane=malloc(sizeof(float)*3*S*S);
  for(int a=2;a<argc;a++){
    FILE*fi=fopen(argv[a],"rb"); if(!fi){perror(argv[a]);return 1;}
    struct jpeg_decompress_struct c; struct jpeg_error_mgr e; c.err=jpeg_std_error(&e); jpeg_create_decompress(&c);
    jpeg_stdio_src(&c,fi); jpeg_read_header(&c,TRUE); c.out_color_space=JCS_RGB; jpeg_start_decompress(&c);
    int W=c.output_width,H=c.output_height; unsigned char*img=malloc((size_t)W*H*3);
    while(c.output_scanline<c.output_height){unsigned char*row=img+(size_t)c.output_scanline*W*3; jpeg_read_scanlines(&c,&row,1);}
    jpeg_finish_decompress(&c); jpeg_destroy_decompress(&c); fclose(fi);
    if(W<S||H<S){fprintf(stderr,"%s: %dx%d smaller than %d\n",argv[a],W,H,S);return 1;}
    int ox=(W-S)/2, oy=(H-S)/2;
    for(int ch=0;ch<3;ch++)for(int y=0;y<S;y++)for(int x=0;x<S;x++)
      plane[(size_t)ch*S*S+y*S+x]=(img[((size_t)(y+oy)*W+(x+ox))*3+ch]/255.0f-mean[ch])/sd[ch];
    fwrite(plane,sizeof(float),3*S*S,fo); free(img);
  }
  fclose(fo); return 0;}
