// tslab-keras engine addon: a thin N-API wrapper over TensorFlow's C graph API (c_api.h).
// It builds graphs op by op (the graph itself is described in TypeScript, src/engine/graph.ts),
// creates sessions with their own thread settings, and runs whole training steps in one
// TF_SessionRun. It links the same libtensorflow that tfjs-node has already loaded.
#include <node_api.h>
#include <tensorflow/c/c_api.h>

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "dropout_op.h"

namespace {

struct Graph {
  TF_Graph* graph;
  std::vector<TF_Operation*> ops;
};

struct Session {
  TF_Session* session;
  Graph* graph;  // kept alive by the JS side (the session object holds a reference to the graph object)
};

#define CHECK_NAPI(call)                                   \
  do {                                                     \
    if ((call) != napi_ok) {                               \
      napi_throw_error(env, nullptr, "N-API call failed: " #call); \
      return nullptr;                                      \
    }                                                      \
  } while (0)

bool ThrowIfError(napi_env env, TF_Status* status) {
  if (TF_GetCode(status) == TF_OK) return false;
  napi_throw_error(env, nullptr, TF_Message(status));
  return true;
}

std::string GetString(napi_env env, napi_value v) {
  size_t len = 0;
  napi_get_value_string_utf8(env, v, nullptr, 0, &len);
  std::string s(len, '\0');
  napi_get_value_string_utf8(env, v, &s[0], len + 1, &len);
  return s;
}

int64_t GetInt(napi_env env, napi_value v) {
  int64_t x = 0;
  napi_get_value_int64(env, v, &x);
  return x;
}

double GetDouble(napi_env env, napi_value v) {
  double x = 0;
  napi_get_value_double(env, v, &x);
  return x;
}

napi_value Elem(napi_env env, napi_value arr, uint32_t i) {
  napi_value v;
  napi_get_element(env, arr, i, &v);
  return v;
}

uint32_t Len(napi_env env, napi_value arr) {
  uint32_t n = 0;
  napi_get_array_length(env, arr, &n);
  return n;
}

std::vector<int64_t> GetInts(napi_env env, napi_value arr) {
  std::vector<int64_t> out(Len(env, arr));
  for (uint32_t i = 0; i < out.size(); i++) out[i] = GetInt(env, Elem(env, arr, i));
  return out;
}

template <typename T>
T* Unwrap(napi_env env, napi_value v) {
  void* p = nullptr;
  napi_get_value_external(env, v, &p);
  return static_cast<T*>(p);
}

// Reads a typed array's bytes (and, if asked, whether its elements are single bytes).
bool TypedArrayBytes(napi_env env, napi_value v, void** data, size_t* bytes, bool* is_bytes = nullptr) {
  napi_typedarray_type type;
  size_t length;
  napi_value buffer;
  size_t offset;
  if (napi_get_typedarray_info(env, v, &type, &length, data, &buffer, &offset) != napi_ok) return false;
  size_t elem = 1;
  switch (type) {
    case napi_float32_array: case napi_int32_array: case napi_uint32_array: elem = 4; break;
    case napi_float64_array: case napi_bigint64_array: case napi_biguint64_array: elem = 8; break;
    case napi_int16_array: case napi_uint16_array: elem = 2; break;
    default: elem = 1;
  }
  *bytes = length * elem;
  if (is_bytes != nullptr) *is_bytes = type == napi_uint8_array || type == napi_uint8_clamped_array;
  return true;
}

// A feed's source: the typed array's bytes, or a Uint8Array standing for a float32 tensor (a compact
// host copy of data whose values are all integers 0..255: multi-hot rows, raw pixels), widened while
// it is copied into TensorFlow's buffer.
struct FeedSource {
  const char* data = nullptr;
  size_t bytes = 0;  // of the source
  bool widen = false;
  size_t Scale() const { return widen ? 4 : 1; }
};

bool ReadFeedSource(napi_env env, int dtype, napi_value v, FeedSource* src) {
  void* data = nullptr;
  bool is_bytes = false;
  if (!TypedArrayBytes(env, v, &data, &src->bytes, &is_bytes)) return false;
  src->data = static_cast<const char*>(data);
  src->widen = is_bytes && dtype == TF_FLOAT;
  return true;
}

// Copies `dst_bytes` of tensor data from `src` (widening bytes to floats when the source is compact).
void CopyFeed(char* dst, const char* src, size_t dst_bytes, bool widen) {
  if (!widen) {
    std::memcpy(dst, src, dst_bytes);
    return;
  }
  float* out = reinterpret_cast<float*>(dst);
  const uint8_t* in = reinterpret_cast<const uint8_t*>(src);
  for (size_t i = 0, n = dst_bytes / 4; i < n; i++) out[i] = static_cast<float>(in[i]);
}

// Makes a TF_Tensor (owned by TensorFlow) holding a copy of a typed array.
TF_Tensor* TensorFromJs(napi_env env, int dtype, napi_value dims_v, napi_value data_v) {
  std::vector<int64_t> dims = GetInts(env, dims_v);
  FeedSource src;
  if (!ReadFeedSource(env, dtype, data_v, &src)) return nullptr;
  const size_t bytes = src.bytes * src.Scale();
  TF_Tensor* t = TF_AllocateTensor(static_cast<TF_DataType>(dtype), dims.data(), static_cast<int>(dims.size()), bytes);
  if (t == nullptr) return nullptr;
  if (TF_TensorByteSize(t) != bytes) {
    TF_DeleteTensor(t);
    return nullptr;
  }
  if (bytes > 0) CopyFeed(static_cast<char*>(TF_TensorData(t)), src.data, bytes, src.widen);
  return t;
}

// A TF_Tensor of dims [rows, ...] holding rows order[start .. start+rows) of a row-major typed array
// (one copy per row: the batch is gathered straight into TensorFlow's buffer, no copy in JS).
TF_Tensor* GatherRowsFromJs(napi_env env, int dtype, napi_value dims_v, napi_value data_v, napi_value order_v, int64_t start) {
  std::vector<int64_t> dims = GetInts(env, dims_v);
  FeedSource src;
  void* order_data = nullptr;
  size_t order_bytes = 0;
  if (dims.empty() || !ReadFeedSource(env, dtype, data_v, &src) || !TypedArrayBytes(env, order_v, &order_data, &order_bytes)) return nullptr;
  const int32_t* order = static_cast<const int32_t*>(order_data);
  const int64_t n_order = static_cast<int64_t>(order_bytes / 4);
  const int64_t rows = dims[0];
  size_t row_bytes = TF_DataTypeSize(static_cast<TF_DataType>(dtype));
  for (size_t d = 1; d < dims.size(); d++) row_bytes *= static_cast<size_t>(dims[d]);
  const size_t src_row_bytes = row_bytes / src.Scale();
  TF_Tensor* t = TF_AllocateTensor(static_cast<TF_DataType>(dtype), dims.data(), static_cast<int>(dims.size()),
                                   row_bytes * static_cast<size_t>(rows));
  if (t == nullptr) return nullptr;
  const int64_t total_rows = src_row_bytes > 0 ? static_cast<int64_t>(src.bytes / src_row_bytes) : 0;
  char* dst = static_cast<char*>(TF_TensorData(t));
  for (int64_t i = 0; i < rows; i++) {
    const int64_t k = start + i;
    const int64_t r = k < n_order ? order[k] : -1;
    if (r < 0 || r >= total_rows) {
      TF_DeleteTensor(t);
      return nullptr;
    }
    CopyFeed(dst + i * row_bytes, src.data + r * src_row_bytes, row_bytes, src.widen);
  }
  return t;
}

void GraphFinalize(napi_env, void* data, void*) {
  Graph* g = static_cast<Graph*>(data);
  TF_DeleteGraph(g->graph);
  delete g;
}

// newGraph(): external
napi_value NewGraph(napi_env env, napi_callback_info) {
  Graph* g = new Graph{TF_NewGraph(), {}};
  napi_value out;
  CHECK_NAPI(napi_create_external(env, g, GraphFinalize, nullptr, &out));
  return out;
}

// Sets one attribute: attr = [name, kind, value, (extra)]
bool SetAttr(napi_env env, TF_OperationDescription* desc, napi_value attr, TF_Status* status) {
  std::string name = GetString(env, Elem(env, attr, 0));
  std::string kind = GetString(env, Elem(env, attr, 1));
  napi_value value = Elem(env, attr, 2);
  const char* n = name.c_str();
  if (kind == "int") {
    TF_SetAttrInt(desc, n, GetInt(env, value));
  } else if (kind == "float") {
    TF_SetAttrFloat(desc, n, static_cast<float>(GetDouble(env, value)));
  } else if (kind == "bool") {
    bool b = false;
    napi_get_value_bool(env, value, &b);
    TF_SetAttrBool(desc, n, b ? 1 : 0);
  } else if (kind == "type") {
    TF_SetAttrType(desc, n, static_cast<TF_DataType>(GetInt(env, value)));
  } else if (kind == "string") {
    std::string s = GetString(env, value);
    TF_SetAttrString(desc, n, s.data(), s.size());
  } else if (kind == "shape") {
    std::vector<int64_t> dims = GetInts(env, value);
    TF_SetAttrShape(desc, n, dims.data(), static_cast<int>(dims.size()));
  } else if (kind == "ints") {
    std::vector<int64_t> v = GetInts(env, value);
    TF_SetAttrIntList(desc, n, v.data(), static_cast<int>(v.size()));
  } else if (kind == "floats") {
    std::vector<float> v(Len(env, value));
    for (uint32_t i = 0; i < v.size(); i++) v[i] = static_cast<float>(GetDouble(env, Elem(env, value, i)));
    TF_SetAttrFloatList(desc, n, v.data(), static_cast<int>(v.size()));
  } else if (kind == "bools") {
    std::vector<unsigned char> v(Len(env, value));
    for (uint32_t i = 0; i < v.size(); i++) {
      bool b = false;
      napi_get_value_bool(env, Elem(env, value, i), &b);
      v[i] = b ? 1 : 0;
    }
    TF_SetAttrBoolList(desc, n, v.data(), static_cast<int>(v.size()));
  } else if (kind == "types") {
    std::vector<int64_t> raw = GetInts(env, value);
    std::vector<TF_DataType> v(raw.size());
    for (size_t i = 0; i < raw.size(); i++) v[i] = static_cast<TF_DataType>(raw[i]);
    TF_SetAttrTypeList(desc, n, v.data(), static_cast<int>(v.size()));
  } else if (kind == "tensor") {
    // value = [dtype, dims, typedArray]
    TF_Tensor* t = TensorFromJs(env, static_cast<int>(GetInt(env, Elem(env, value, 0))), Elem(env, value, 1), Elem(env, value, 2));
    if (t == nullptr) {
      napi_throw_error(env, nullptr, ("bad tensor for attr " + name).c_str());
      return false;
    }
    TF_SetAttrTensor(desc, n, t, status);
    TF_DeleteTensor(t);
    if (ThrowIfError(env, status)) return false;
  } else {
    napi_throw_error(env, nullptr, ("unknown attr kind " + kind).c_str());
    return false;
  }
  return true;
}

TF_Output OutputOf(napi_env env, Graph* g, napi_value pair) {
  int64_t op = GetInt(env, Elem(env, pair, 0));
  int64_t index = GetInt(env, Elem(env, pair, 1));
  return TF_Output{g->ops[static_cast<size_t>(op)], static_cast<int>(index)};
}

// addOp(graph, type, name, inputs, attrs, controlInputs, device): op id.
// inputs: array of [op, index] or, for list inputs, arrays of such pairs.
napi_value AddOp(napi_env env, napi_callback_info info) {
  size_t argc = 7;
  napi_value argv[7];
  CHECK_NAPI(napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr));
  Graph* g = Unwrap<Graph>(env, argv[0]);
  std::string type = GetString(env, argv[1]);
  std::string name = GetString(env, argv[2]);
  TF_OperationDescription* desc = TF_NewOperation(g->graph, type.c_str(), name.c_str());
  uint32_t nin = Len(env, argv[3]);
  for (uint32_t i = 0; i < nin; i++) {
    napi_value in = Elem(env, argv[3], i);
    napi_value first = Elem(env, in, 0);
    bool is_list = false;
    napi_is_array(env, first, &is_list);
    if (is_list || Len(env, in) == 0) {
      std::vector<TF_Output> list;
      for (uint32_t j = 0; j < Len(env, in); j++) list.push_back(OutputOf(env, g, Elem(env, in, j)));
      TF_AddInputList(desc, list.data(), static_cast<int>(list.size()));
    } else {
      TF_AddInput(desc, OutputOf(env, g, in));
    }
  }
  TF_Status* status = TF_NewStatus();
  uint32_t nattr = Len(env, argv[4]);
  for (uint32_t i = 0; i < nattr; i++) {
    if (!SetAttr(env, desc, Elem(env, argv[4], i), status)) {
      TF_DeleteStatus(status);
      return nullptr;  // the description leaks; the graph is unusable after a failed op anyway
    }
  }
  if (argc > 5) {
    napi_valuetype t;
    napi_typeof(env, argv[5], &t);
    if (t == napi_object) {
      for (uint32_t i = 0; i < Len(env, argv[5]); i++) {
        TF_AddControlInput(desc, g->ops[static_cast<size_t>(GetInt(env, Elem(env, argv[5], i)))]);
      }
    }
  }
  if (argc > 6) {
    napi_valuetype t;
    napi_typeof(env, argv[6], &t);
    if (t == napi_string) TF_SetDevice(desc, GetString(env, argv[6]).c_str());
  }
  TF_Operation* op = TF_FinishOperation(desc, status);
  if (ThrowIfError(env, status)) {
    TF_DeleteStatus(status);
    return nullptr;
  }
  TF_DeleteStatus(status);
  g->ops.push_back(op);
  napi_value out;
  CHECK_NAPI(napi_create_int64(env, static_cast<int64_t>(g->ops.size() - 1), &out));
  return out;
}

void SessionFinalize(napi_env, void* data, void*) {
  Session* s = static_cast<Session*>(data);
  TF_Status* status = TF_NewStatus();
  TF_CloseSession(s->session, status);
  TF_DeleteSession(s->session, status);
  TF_DeleteStatus(status);
  delete s;
}

// newSession(graph, configProtoBytes: Uint8Array): external
napi_value NewSession(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  CHECK_NAPI(napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr));
  Graph* g = Unwrap<Graph>(env, argv[0]);
  TF_SessionOptions* opts = TF_NewSessionOptions();
  TF_Status* status = TF_NewStatus();
  void* config = nullptr;
  size_t bytes = 0;
  if (argc > 1 && TypedArrayBytes(env, argv[1], &config, &bytes) && bytes > 0) {
    TF_SetConfig(opts, config, bytes, status);
    if (ThrowIfError(env, status)) {
      TF_DeleteStatus(status);
      TF_DeleteSessionOptions(opts);
      return nullptr;
    }
  }
  TF_Session* session = TF_NewSession(g->graph, opts, status);
  TF_DeleteSessionOptions(opts);
  if (ThrowIfError(env, status)) {
    TF_DeleteStatus(status);
    return nullptr;
  }
  TF_DeleteStatus(status);
  Session* s = new Session{session, g};
  napi_value out;
  CHECK_NAPI(napi_create_external(env, s, SessionFinalize, nullptr, &out));
  return out;
}

napi_value TensorToJs(napi_env env, TF_Tensor* t) {
  size_t bytes = TF_TensorByteSize(t);
  TF_DataType dtype = TF_TensorType(t);
  napi_value buffer;
  void* data = nullptr;
  if (napi_create_arraybuffer(env, bytes, &data, &buffer) != napi_ok) return nullptr;
  if (bytes > 0) std::memcpy(data, TF_TensorData(t), bytes);
  napi_typedarray_type type = napi_float32_array;
  size_t elem = 4;
  switch (dtype) {
    case TF_FLOAT: type = napi_float32_array; elem = 4; break;
    case TF_INT32: type = napi_int32_array; elem = 4; break;
    case TF_DOUBLE: type = napi_float64_array; elem = 8; break;
    case TF_INT64: type = napi_bigint64_array; elem = 8; break;
    case TF_BOOL: case TF_UINT8: type = napi_uint8_array; elem = 1; break;
    default: type = napi_uint8_array; elem = 1;
  }
  napi_value out;
  if (napi_create_typedarray(env, type, bytes / elem, buffer, 0, &out) != napi_ok) return nullptr;
  return out;
}

// run(session, feeds, fetches, targets[, traced]): typed arrays for the fetches.
// feeds: array of [op, index, dtype, dims, typedArray] or, to gather a batch of rows,
// [op, index, dtype, dims, wholeArray, order: Int32Array, start]; fetches: array of [op, index]; targets: op ids.
// With traced = true, the step runs with FULL_TRACE and a serialized RunMetadata (step stats) is
// appended to the results (for profiling; see bench/profile.ts).
napi_value Run(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value argv[5];
  CHECK_NAPI(napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr));
  bool traced = false;
  if (argc > 4) napi_get_value_bool(env, argv[4], &traced);
  Session* s = Unwrap<Session>(env, argv[0]);
  Graph* g = s->graph;
  uint32_t nfeed = Len(env, argv[1]);
  std::vector<TF_Output> feed_outs;
  std::vector<TF_Tensor*> feed_vals;
  for (uint32_t i = 0; i < nfeed; i++) {
    napi_value f = Elem(env, argv[1], i);
    feed_outs.push_back(TF_Output{g->ops[static_cast<size_t>(GetInt(env, Elem(env, f, 0)))], static_cast<int>(GetInt(env, Elem(env, f, 1)))});
    TF_Tensor* t = Len(env, f) > 6
                       ? GatherRowsFromJs(env, static_cast<int>(GetInt(env, Elem(env, f, 2))), Elem(env, f, 3), Elem(env, f, 4),
                                          Elem(env, f, 5), GetInt(env, Elem(env, f, 6)))
                       : TensorFromJs(env, static_cast<int>(GetInt(env, Elem(env, f, 2))), Elem(env, f, 3), Elem(env, f, 4));
    if (t == nullptr) {
      for (TF_Tensor* v : feed_vals) TF_DeleteTensor(v);
      napi_throw_error(env, nullptr, "feed: data length does not match its shape and dtype, or a row index is out of range");
      return nullptr;
    }
    feed_vals.push_back(t);
  }
  uint32_t nfetch = Len(env, argv[2]);
  std::vector<TF_Output> fetch_outs;
  for (uint32_t i = 0; i < nfetch; i++) fetch_outs.push_back(OutputOf(env, g, Elem(env, argv[2], i)));
  std::vector<TF_Tensor*> fetch_vals(nfetch, nullptr);
  uint32_t ntarget = argc > 3 ? Len(env, argv[3]) : 0;
  std::vector<TF_Operation*> targets;
  for (uint32_t i = 0; i < ntarget; i++) targets.push_back(g->ops[static_cast<size_t>(GetInt(env, Elem(env, argv[3], i)))]);
  TF_Status* status = TF_NewStatus();
  // RunOptions { trace_level: FULL_TRACE (3) }
  static const unsigned char kFullTrace[] = {0x08, 0x03};
  TF_Buffer* run_options = traced ? TF_NewBufferFromString(kFullTrace, sizeof(kFullTrace)) : nullptr;
  TF_Buffer* metadata = traced ? TF_NewBuffer() : nullptr;
  TF_SessionRun(s->session, run_options, feed_outs.data(), feed_vals.data(), static_cast<int>(nfeed), fetch_outs.data(),
                fetch_vals.data(), static_cast<int>(nfetch), targets.data(), static_cast<int>(ntarget), metadata, status);
  for (TF_Tensor* v : feed_vals) TF_DeleteTensor(v);
  if (run_options != nullptr) TF_DeleteBuffer(run_options);
  if (ThrowIfError(env, status)) {
    TF_DeleteStatus(status);
    if (metadata != nullptr) TF_DeleteBuffer(metadata);
    return nullptr;
  }
  TF_DeleteStatus(status);
  napi_value out;
  CHECK_NAPI(napi_create_array_with_length(env, nfetch + (traced ? 1 : 0), &out));
  if (traced) {
    napi_value buffer;
    void* data = nullptr;
    CHECK_NAPI(napi_create_arraybuffer(env, metadata->length, &data, &buffer));
    if (metadata->length > 0) std::memcpy(data, metadata->data, metadata->length);
    napi_value bytes;
    CHECK_NAPI(napi_create_typedarray(env, napi_uint8_array, metadata->length, buffer, 0, &bytes));
    napi_set_element(env, out, nfetch, bytes);
    TF_DeleteBuffer(metadata);
  }
  for (uint32_t i = 0; i < nfetch; i++) {
    napi_value v = TensorToJs(env, fetch_vals[i]);
    TF_DeleteTensor(fetch_vals[i]);
    if (v == nullptr) {
      napi_throw_error(env, nullptr, "could not convert a fetched tensor");
      return nullptr;
    }
    napi_set_element(env, out, i, v);
  }
  return out;
}

// fusedDropout(): "" when the TslabKerasDropout op is registered, else why not.
napi_value FusedDropout(napi_env env, napi_callback_info) {
  napi_value out;
  CHECK_NAPI(napi_create_string_utf8(env, RegisterDropoutOp().c_str(), NAPI_AUTO_LENGTH, &out));
  return out;
}

// version()
// opDef(type): the op's serialized OpDef proto (Uint8Array), so the graph side knows which inputs are lists.
napi_value OpDef(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  CHECK_NAPI(napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr));
  std::string type = GetString(env, argv[0]);
  TF_Graph* graph = TF_NewGraph();
  TF_Buffer* buf = TF_NewBuffer();
  TF_Status* status = TF_NewStatus();
  TF_GraphGetOpDef(graph, type.c_str(), buf, status);
  napi_value out = nullptr;
  if (TF_GetCode(status) == TF_OK) {
    void* data = nullptr;
    napi_value ab;
    if (napi_create_arraybuffer(env, buf->length, &data, &ab) == napi_ok) {
      if (buf->length > 0) std::memcpy(data, buf->data, buf->length);
      napi_create_typedarray(env, napi_uint8_array, buf->length, ab, 0, &out);
    }
  } else {
    napi_throw_error(env, nullptr, TF_Message(status));
  }
  TF_DeleteStatus(status);
  TF_DeleteBuffer(buf);
  TF_DeleteGraph(graph);
  return out;
}

napi_value Version(napi_env env, napi_callback_info) {
  napi_value out;
  CHECK_NAPI(napi_create_string_utf8(env, TF_Version(), NAPI_AUTO_LENGTH, &out));
  return out;
}

napi_value Init(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"newGraph", nullptr, NewGraph, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"addOp", nullptr, AddOp, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"newSession", nullptr, NewSession, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"run", nullptr, Run, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"fusedDropout", nullptr, FusedDropout, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"opDef", nullptr, OpDef, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"version", nullptr, Version, nullptr, nullptr, nullptr, napi_default, nullptr},
  };
  napi_define_properties(env, exports, sizeof(props) / sizeof(props[0]), props);
  return exports;
}

}  // namespace

NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)
