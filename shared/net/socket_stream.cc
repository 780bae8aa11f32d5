#include "shared/net/socket_stream.h"

#include <utility>

namespace silt::net {

SocketStream::SocketStream(std::unique_ptr<TcpSocket> socket) : socket_(std::move(socket)) {
  socket_->SetEvents(this);
  peer_.address = socket_->PeerAddress();
}

void SocketStream::SetHandler(StreamHandler* handler) {
  handler_ = handler;
  if (handler_ != nullptr && (!pending_.empty() || peer_eof_ || socket_closed_)) socket_->Defer();
  UpdateReading();
}

void SocketStream::PauseReading() {
  paused_ = true;
  UpdateReading();
}

void SocketStream::ResumeReading() {
  paused_ = false;
  if (!pending_.empty() || peer_eof_) socket_->Defer();
  UpdateReading();
}

void SocketStream::Shutdown() {
  if (closing_ || shutdown_requested_) return;
  shutdown_requested_ = true;
  BeforeShutdown();
  if (!closing_) socket_->Shutdown();
}

bool SocketStream::WantsSocketReads() const {
  return handler_ != nullptr && !paused_ && !peer_eof_ && !closing_;
}

void SocketStream::UpdateReading() {
  if (closing_) return;
  if (WantsSocketReads()) {
    socket_->StartReading();
  } else {
    socket_->StopReading();
  }
}

void SocketStream::Deliver(std::string_view bytes) {
  if (closing_ || bytes.empty()) return;
  if (handler_ != nullptr && !paused_ && pending_.empty() && !delivering_) {
    delivering_ = true;
    handler_->OnData(bytes);
    delivering_ = false;
    return;
  }
  pending_.append(bytes);
}

void SocketStream::DeliverPending() {
  while (!pending_.empty() && handler_ != nullptr && !paused_ && !closing_ && !delivering_) {
    std::string chunk;
    chunk.swap(pending_);
    delivering_ = true;
    handler_->OnData(chunk);
    delivering_ = false;
  }
  if (pending_.empty() && peer_eof_ && handler_ != nullptr) EndAfterPeerEof();
  UpdateReading();
}

void SocketStream::PeerEnded() {
  peer_eof_ = true;
  socket_->StopReading();
  if (pending_.empty() && handler_ != nullptr) EndAfterPeerEof();
}

// Answers the peer's end with ours: flush what is queued, FIN (close_notify first for TLS), then
// close once the FIN is out. A handler may keep the half-closed stream open (OnPeerEnded returns
// false) and call Shutdown() later; OnSocketShutdown then closes, the peer's end being known.
void SocketStream::EndAfterPeerEof() {
  if (end_started_ || closing_) return;
  end_started_ = true;
  if (fin_sent_) {
    CloseWith(Status::Ok());
    return;
  }
  if (shutdown_requested_ || !handler_->OnPeerEnded()) return;
  if (!closing_ && !shutdown_requested_) Shutdown();
}

void SocketStream::CloseWith(Status why) {
  if (closing_) return;
  closing_ = true;
  close_status_ = std::move(why);
  pending_.clear();
  socket_->Close();
}

Status SocketStream::ConnectionError(std::string_view what) const {
  return Status::Unavailable("connection with " + peer_.address + ": " + std::string(what));
}

void SocketStream::OnSocketError(int uv_error, std::string_view during) {
  if (uv_error == UV_ECONNRESET) {
    CloseWith(ConnectionError("reset by peer (ECONNRESET)"));
    return;
  }
  CloseWith(ConnectionError(std::string(during) + " failed: " + uv_strerror(uv_error) + " (" +
                            uv_err_name(uv_error) + ")"));
}

void SocketStream::OnSocketDrained() {
  if (handler_ != nullptr && !closing_) handler_->OnDrained();
}

void SocketStream::OnSocketShutdown(int status) {
  if (status < 0) {
    OnSocketError(status, "shutdown");
    return;
  }
  fin_sent_ = true;
  if (peer_eof_ && pending_.empty()) {
    CloseWith(Status::Ok());
    return;
  }
  socket_->StartTimer(kLinger);
}

void SocketStream::OnSocketTimer() {
  // The linger after our FIN ran out: every byte was handed to the kernel, so this is an end in
  // order even though the peer has not answered with its own.
  CloseWith(Status::Ok());
}

void SocketStream::OnSocketDeferred() {
  if (socket_closed_) {
    NotifyClosed();  // may destroy this: nothing may follow
    return;
  }
  DeliverPending();
}

void SocketStream::OnSocketClosed() {
  socket_closed_ = true;
  NotifyClosed();  // may destroy this: nothing may follow
}

void SocketStream::NotifyClosed() {
  if (notified_ || handler_ == nullptr) return;
  notified_ = true;
  handler_->OnClosed(close_status_);
}

}  // namespace silt::net
