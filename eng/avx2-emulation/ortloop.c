/* ortloop: like ../ortrun (ONNX Runtime C API, CPU EP, 1 intra-op thread, default graph optimizations), but runs one
   session over a file holding K input tensors of shape SHAPE, one Run per tensor, and writes the K first outputs
   concatenated (for models with a fixed batch of 1, e.g. ResNet-20, without one process per image).
   usage: ortloop MODEL.onnx INPUT.raw SHAPE OUT.raw [--precise]                                               */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "onnxruntime_c_api.h"
static const OrtApi* g;
static void check(OrtStatus* s, const char* what){ if(s){ fprintf(stderr,"ORT error in %s: %s\n",what,g->GetErrorMessage(s)); exit(2);} }
#define CK(x) check((x), #x)
static double now(void){ struct timespec t; clock_gettime(CLOCK_MONOTONIC,&t); return t.tv_sec+t.tv_nsec*1e-9; }
int main(int argc,char**argv){
  if(argc<5){ fprintf(stderr,"usage: %s MODEL.onnx INPUT.raw SHAPE OUT.raw [--precise]\n",argv[0]); return 1; }
  int precise = argc>5 && !strcmp(argv[5],"--precise");
  int64_t dims[16]; size_t nd=0,count=1;
  { char* s=strdup(argv[3]); for(char* t=strtok(s,",x"); t&&nd<16; t=strtok(NULL,",x")){ dims[nd]=atoll(t); count*=(size_t)dims[nd]; nd++; } }
  FILE* f=fopen(argv[2],"rb"); if(!f){perror(argv[2]);return 1;} fseek(f,0,SEEK_END); long bytes=ftell(f); rewind(f);
  if(bytes % (long)(count*4)){ fprintf(stderr,"input size %ld is not a multiple of the tensor size %zu\n",bytes,count*4); return 1; }
  long K=bytes/(long)(count*4); float* in=malloc(bytes); if(fread(in,1,bytes,f)!=(size_t)bytes) return 1; fclose(f);
  g=OrtGetApiBase()->GetApi(ORT_API_VERSION);
  OrtEnv* env; CK(g->CreateEnv(ORT_LOGGING_LEVEL_WARNING,"ortloop",&env));
  OrtSessionOptions* so; CK(g->CreateSessionOptions(&so));
  CK(g->SetIntraOpNumThreads(so,1)); CK(g->SetInterOpNumThreads(so,1)); CK(g->SetSessionExecutionMode(so,ORT_SEQUENTIAL));
  CK(g->AddSessionConfigEntry(so,"session.intra_op.allow_spinning","0"));
  if(precise) CK(g->AddSessionConfigEntry(so,"session.x64quantprecision","1"));
  OrtSession* sess; CK(g->CreateSession(env,argv[1],so,&sess));
  OrtAllocator* alloc; CK(g->GetAllocatorWithDefaultOptions(&alloc));
  char *iname,*oname; CK(g->SessionGetInputName(sess,0,alloc,&iname)); CK(g->SessionGetOutputName(sess,0,alloc,&oname));
  OrtMemoryInfo* mi; CK(g->CreateCpuMemoryInfo(OrtArenaAllocator,OrtMemTypeDefault,&mi));
  FILE* fo=fopen(argv[4],"wb"); if(!fo){perror(argv[4]);return 1;}
  const char* inames[1]={iname}; const char* onames[1]={oname}; double t0=now(); size_t on=0;
  for(long k=0;k<K;k++){
    OrtValue* iv=NULL; CK(g->CreateTensorWithDataAsOrtValue(mi,in+k*count,count*4,dims,nd,ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT,&iv));
    OrtValue* ov=NULL; CK(g->Run(sess,NULL,inames,(const OrtValue* const*)&iv,1,onames,1,&ov));
    OrtTensorTypeAndShapeInfo* ti; CK(g->GetTensorTypeAndShape(ov,&ti)); CK(g->GetTensorShapeElementCount(ti,&on));
    ONNXTensorElementDataType et; CK(g->GetTensorElementType(ti,&et)); if(et!=ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT){fprintf(stderr,"output not float\n");return 3;}
    float* out; CK(g->GetTensorMutableData(ov,(void**)&out)); fwrite(out,4,on,fo);
    g->ReleaseTensorTypeAndShapeInfo(ti); g->ReleaseValue(ov); g->ReleaseValue(iv);
  }
  fclose(fo);
  printf("%s: %ld runs of [%s], %zu outputs each, %.3f s total (%.4f s per run), precise=%d\n",argv[1],K,argv[3],on,now()-t0,(now()-t0)/K,precise);
  return 0;}
