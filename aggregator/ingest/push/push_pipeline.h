// ApplyPushPipeline: runs the push listener's ingest pipeline (http.push.pipeline,
// docs/pipelines.md) on every entry of a DecodedPush, between decoding and validation, on the
// thread that decoded it. Entries move to the stream of the labels the pipeline gave them (one
// stream per distinct label set, in order of first appearance); entries a `drop` stage removes
// leave the push without being rejections (Loki's pipelines drop silently; they are counted in
// silt_pipeline_entries_total{listener="push",result="dropped"}). Streams the decoder refused are
// kept as they are. ValidatePush then checks the pipeline's output: labels, line size, timestamp
// window and metadata names.
// Thread-safety: a function of its arguments; `pipeline` may be shared by threads.
#pragma once

#include "aggregator/ingest/pipeline/listener_pipeline.h"
#include "aggregator/ingest/push/decoded_push.h"

namespace silt::ingest {

// Rewrites `push` in place. Lines and metadata the pipeline changed are copied into storage the
// push owns from then on (its `storage` keeps the decoder's bytes alive too); unchanged ones stay
// views into the decoder's bytes. `total_entries` and `rejections` are left as they were.
void ApplyPushPipeline(const ListenerPipeline& pipeline, DecodedPush* push);

}  // namespace silt::ingest
