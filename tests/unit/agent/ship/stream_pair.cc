#include "tests/unit/agent/ship/stream_pair.h"

#include <utility>

namespace silt::agent::testing {
namespace {

// The two ends; an end clears its pointer when destroyed, so pending deliveries are dropped.
struct Link {
  PairedStream* end[2] = {nullptr, nullptr};
};

}  // namespace

class PairedStream final : public net::ByteStream {
 public:
  PairedStream(time::FakeClock* clock, std::shared_ptr<Link> link, int side)
      : clock_(clock), link_(std::move(link)), side_(side) {
    link_->end[side_] = this;
    peer_.address = "127.0.0.1:" + std::to_string(40000 + side);
  }
  ~PairedStream() override { link_->end[side_] = nullptr; }

  void SetHandler(net::StreamHandler* handler) override { handler_ = handler; }
  void Write(std::string bytes) override {
    if (closed_) return;
    Post(1 - side_, [bytes = std::move(bytes)](PairedStream* peer) {
      if (!peer->closed_ && peer->handler_ != nullptr) peer->handler_->OnData(bytes);
    });
  }
  size_t queued_bytes() const override { return 0; }
  void PauseReading() override {}
  void ResumeReading() override {}
  void Shutdown() override { Close(); }
  void Close() override {
    if (closed_) return;
    closed_ = true;
    for (int side : {side_, 1 - side_}) {
      Post(side, [](PairedStream* end) { end->EndWith(Status::Ok()); });
    }
  }
  bool closed() const override { return closed_; }
  const net::PeerInfo& peer() const override { return peer_; }

 private:
  void Post(int side, std::function<void(PairedStream*)> action) {
    clock_->Schedule(0, [link = link_, side, action = std::move(action)] {
      if (link->end[side] != nullptr) action(link->end[side]);
    });
  }
  void EndWith(const Status& why) {
    if (ended_) return;
    ended_ = true;
    closed_ = true;
    if (handler_ != nullptr) handler_->OnClosed(why);  // may destroy this
  }

  time::FakeClock* clock_;
  std::shared_ptr<Link> link_;
  int side_;
  net::StreamHandler* handler_ = nullptr;
  bool closed_ = false;
  bool ended_ = false;
  net::PeerInfo peer_;
};

std::pair<std::unique_ptr<net::ByteStream>, std::unique_ptr<net::ByteStream>> MakeStreamPair(
    time::FakeClock* clock) {
  auto link = std::make_shared<Link>();
  return {std::make_unique<PairedStream>(clock, link, 0),
          std::make_unique<PairedStream>(clock, link, 1)};
}

namespace {

class FakePending final : public net::PendingConnect {
 public:
  FakePending(time::FakeClock* clock, time::TimerService::TimerId id) : clock_(clock), id_(id) {}
  ~FakePending() override { Cancel(); }
  void Cancel() override { clock_->Cancel(id_); }

 private:
  time::FakeClock* clock_;
  time::TimerService::TimerId id_;
};

}  // namespace

std::unique_ptr<net::PendingConnect> FakeConnector::Connect(net::ConnectFn done) {
  ++attempts_;
  const bool refuse = refuse_ > 0;
  if (refuse) --refuse_;
  const auto id = clock_->Schedule(0, [this, refuse, done = std::move(done)] {
    if (refuse) {
      done(Status::Unavailable("connect 127.0.0.1:7458: connection refused"));
      return;
    }
    auto [client, server] = MakeStreamPair(clock_);
    accept_(std::move(server));
    done(std::move(client));
  });
  return std::make_unique<FakePending>(clock_, id);
}

}  // namespace silt::agent::testing
