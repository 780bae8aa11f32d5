#include "shared/http/response_writer.h"

#include <utility>

#include "shared/http/response_encoder.h"

namespace silt::http {

void ResponseWriter::WriteWhole(Response response, const AnswerShape& shape) {
  const bool no_body = StatusForbidsBody(response.status);
  HeadOptions options;
  options.framing = no_body ? BodyFraming::kNone : BodyFraming::kContentLength;
  options.content_length = response.body.size();
  options.close = shape.close;
  options.keep_alive = !options.close && shape.http_minor == 0;
  options.date = shape.date;
  std::string head;
  head.reserve(256);
  AppendResponseHead(response, options, &head);
  framing_ = Framing::kWhole;
  head_request_ = shape.head_request;
  std::string body = (no_body || shape.head_request) ? std::string() : std::move(response.body);
  Queue(std::move(head), std::move(body), {}, 0, nullptr);
}

bool ResponseWriter::WriteStreamHead(Response head, const AnswerShape& shape,
                                     const std::shared_ptr<Exchange>& exchange) {
  framing_ = Framing::kChunked;
  if (StatusForbidsBody(head.status)) {
    framing_ = Framing::kNone;
  } else if (shape.http_minor == 0) {
    framing_ = Framing::kUntilClose;  // HTTP/1.0 has no chunked encoding
  }
  head_request_ = shape.head_request;
  HeadOptions options;
  options.framing = framing_ == Framing::kChunked      ? BodyFraming::kChunked
                    : framing_ == Framing::kUntilClose ? BodyFraming::kUntilClose
                                                       : BodyFraming::kNone;
  options.close = shape.close || framing_ == Framing::kUntilClose;
  options.keep_alive = !options.close && shape.http_minor == 0;
  options.date = shape.date;
  std::string first_chunk = std::move(head.body);
  std::string bytes;
  bytes.reserve(256);
  AppendResponseHead(head, options, &bytes);
  Queue(std::move(bytes), {}, {}, 0, nullptr);
  WriteStreamChunk(std::move(first_chunk), exchange);
  return framing_ == Framing::kUntilClose;
}

void ResponseWriter::WriteStreamChunk(std::string data, const std::shared_ptr<Exchange>& exchange) {
  const size_t streamed = data.size();
  if (data.empty() || head_request_ || framing_ == Framing::kNone || framing_ == Framing::kWhole) {
    if (exchange != nullptr) exchange->Release(streamed);
    return;
  }
  if (framing_ == Framing::kChunked) {
    std::string size_line;
    AppendChunkSize(data.size(), &size_line);
    Queue(std::move(size_line), std::move(data), std::string(kChunkEnd), streamed, exchange);
  } else {
    Queue({}, std::move(data), {}, streamed, exchange);
  }
}

void ResponseWriter::EndStream() {
  if (framing_ == Framing::kChunked && !head_request_) {
    Queue(std::string(kLastChunk), {}, {}, 0, nullptr);
  }
}

void ResponseWriter::BeginWebSocket(std::string head_101) {
  framing_ = Framing::kWebSocket;
  head_request_ = false;
  Queue(std::move(head_101), {}, {}, 0, nullptr);
}

void ResponseWriter::WriteRaw(std::string bytes) { Queue(std::move(bytes), {}, {}, 0, nullptr); }

void ResponseWriter::Queue(std::string head, std::string body, std::string tail, size_t streamed,
                           const std::shared_ptr<Exchange>& exchange) {
  const size_t size = head.size() + body.size() + tail.size();
  if (stream_->closed()) {
    if (exchange != nullptr) exchange->Release(streamed);
    return;
  }
  written_ += size;
  if (streamed > 0 && exchange != nullptr) releases_.push_back({written_, streamed, exchange});
  stream_->WriteParts(std::move(head), std::move(body), std::move(tail));
  ReleaseWritten();  // a plain stream may have written it all at once
}

void ResponseWriter::ReleaseWritten() {
  const uint64_t accepted = accepted_bytes();
  while (!releases_.empty() && releases_.front().end <= accepted) {
    releases_.front().exchange->Release(releases_.front().bytes);
    releases_.pop_front();
  }
}

}  // namespace silt::http
