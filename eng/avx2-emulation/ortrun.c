/* ortrun: run an ONNX model on CPU with ONNX Runtime (C API), 1 intra-op thread.
   usage: ortrun MODEL.onnx INPUT.raw SHAPE OUT.raw [--precise] [--opt N] [--runs K]
     INPUT.raw : raw little-endian float32, product(SHAPE) values
     SHAPE     : comma separated dims, e.g. 1,3,224,224
     OUT.raw   : first output written as raw float32
     --precise : session.x64quantprecision=1 (use U8U8 instead of U8S8 on AVX2/AVX512-without-VNNI)
     --opt N   : graph optimization level 0=disable 1=basic 2=extended 99=all (default 99)
     --runs K  : run K times (timing); output from last run                                  */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "onnxruntime_c_api.h"

static const OrtApi* g;
static void check(OrtStatus* s, const char* what) {
  if (s) { fprintf(stderr, "ORT error in %s: %s\n", what, g->GetErrorMessage(s)); g->ReleaseStatus(s); exit(2); }
}
#define CK(x) check((x), #x)
static double now(void){ struct timespec t; clock_gettime(CLOCK_MONOTONIC,&t); return t.tv_sec+t.tv_nsec*1e-9; }

int main(int argc, char** argv) {
  if (argc < 5) { fprintf(stderr, "usage: %s MODEL.onnx INPUT.raw SHAPE OUT.raw [--precise] [--opt N] [--runs K]\n", argv[0]); return 1; }
  const char *model=argv[1], *inpath=argv[2], *shapestr=argv[3], *outpath=argv[4];
  int precise=0, opt=99, runs=1;
  for (int i=5;i<argc;i++){
    if(!strcmp(argv[i],"--precise")) precise=1;
    else if(!strcmp(argv[i],"--opt") && i+1<argc) opt=atoi(argv[++i]);
    else if(!strcmp(argv[i],"--runs") && i+1<argc) runs=atoi(argv[++i]);
    else { fprintf(stderr,"unknown arg %s\n",argv[i]); return 1; }
  }
  int64_t dims[16]; size_t nd=0, count=1;
  { char* s=strdup(shapestr); for(char* t=strtok(s,",x"); t && nd<16; t=strtok(NULL,",x")){ dims[nd]=atoll(t); count*=(size_t)dims[nd]; nd++; } free(s); }
  float* in = malloc(count*sizeof(float));
  FILE* f=fopen(inpath,"rb"); if(!f){perror(inpath);return 1;}
  size_t got=fread(in,sizeof(float),count,f); fclose(f);
  if(got!=count){ fprintf(stderr,"input file has %zu floats, shape needs %zu\n",got,count); return 1; }

  g = OrtGetApiBase()->GetApi(ORT_API_VERSION);
  if(!g){ fprintf(stderr,"GetApi(%d) failed\n",ORT_API_VERSION); return 2; }
  fprintf(stderr,"ORT version %s\n", OrtGetApiBase()->GetVersionString());
  OrtEnv* env; CK(g->CreateEnv(ORT_LOGGING_LEVEL_WARNING,"ortrun",&env));
  OrtSessionOptions* so; CK(g->CreateSessionOptions(&so));
  CK(g->SetIntraOpNumThreads(so,1));
  CK(g->SetInterOpNumThreads(so,1));
  CK(g->SetSessionExecutionMode(so,ORT_SEQUENTIAL));
  CK(g->AddSessionConfigEntry(so,"session.intra_op.allow_spinning","0"));
  CK(g->SetSessionGraphOptimizationLevel(so,(GraphOptimizationLevel)opt));
  if(precise) CK(g->AddSessionConfigEntry(so,"session.x64quantprecision","1"));
  double t0=now();
  OrtSession* sess; CK(g->CreateSession(env,model,so,&sess));
  double t1=now();
  OrtAllocator* alloc; CK(g->GetAllocatorWithDefaultOptions(&alloc));
  char *iname,*oname; CK(g->SessionGetInputName(sess,0,alloc,&iname)); CK(g->SessionGetOutputName(sess,0,alloc,&oname));
  OrtMemoryInfo* mi; CK(g->CreateCpuMemoryInfo(OrtArenaAllocator,OrtMemTypeDefault,&mi));
  OrtValue* iv=NULL; CK(g->CreateTensorWithDataAsOrtValue(mi,in,count*sizeof(float),dims,nd,ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT,&iv));
  const char* inames[1]={iname}; const char* onames[1]={oname};
  OrtValue* ov=NULL; double t2=now();
  for(int r=0;r<runs;r++){ if(ov){g->ReleaseValue(ov); ov=NULL;} CK(g->Run(sess,NULL,inames,(const OrtValue* const*)&iv,1,onames,1,&ov)); }
  double t3=now();
  OrtTensorTypeAndShapeInfo* ti; CK(g->GetTensorTypeAndShape(ov,&ti));
  ONNXTensorElementDataType et; CK(g->GetTensorElementType(ti,&et));
  size_t on; CK(g->GetTensorShapeElementCount(ti,&on));
  size_t ond; CK(g->GetDimensionsCount(ti,&ond)); int64_t od[16]; CK(g->GetDimensions(ti,od,ond<16?ond:16));
  if(et!=ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT){ fprintf(stderr,"first output is not float32 (type %d)\n",(int)et); return 3; }
  float* out; CK(g->GetTensorMutableData(ov,(void**)&out));
  FILE* fo=fopen(outpath,"wb"); if(!fo){perror(outpath);return 1;} fwrite(out,sizeof(float),on,fo); fclose(fo);
  size_t am=0; for(size_t i=1;i<on;i++) if(out[i]>out[am]) am=i;
  printf("input '%s' [%s]  output '%s' [", iname, shapestr, oname);
  for(size_t i=0;i<ond;i++) printf("%s%lld",i?",":"",(long long)od[i]);
  printf("]  precise=%d opt=%d\n",precise,opt);
  printf("first values:"); for(size_t i=0;i<on && i<8;i++) printf(" %.6g",out[i]); printf("\n");
  printf("argmax=%zu value=%.6g\n", am, out[am]);
  printf("session create %.3f s, run %.3f s per run (%d runs)\n", t1-t0, (t3-t2)/runs, runs);
  g->ReleaseTensorTypeAndShapeInfo(ti); g->ReleaseValue(ov); g->ReleaseValue(iv); g->ReleaseMemoryInfo(mi);
  alloc->Free(alloc,iname); alloc->Free(alloc,oname);
  g->ReleaseSession(sess); g->ReleaseSessionOptions(so); g->ReleaseEnv(env); free(in);
  return 0;
}
