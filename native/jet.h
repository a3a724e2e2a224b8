#pragma once
// The forward-mode jet's pieces that jet_network.cc composes into a whole network (jet.cc).
#include <ATen/ATen.h>

#include <cstdint>
#include <vector>

namespace pt {

enum JetAct : int64_t { kTanh = 0, kSin = 1 };

// The second channels: term m is c[m] ∂_{i[m]}∂_{j[m]} over first-channel positions, and
// channel p owns terms off[p] … off[p+1]−1 (off has C2 + 1 entries).
struct JetTerms {
  std::vector<int64_t> i, j, off;
  std::vector<double> c;
  int64_t channels() const { return static_cast<int64_t>(off.size()) - 1; }
};

// σ, σ', σ'', σ''' at z [N, H]: one native pass where grad mode is off, ATen ops where it is on.
// With `into` (contiguous, z's size) σ is written there and returned as a.
struct JetDerivs { at::Tensor a, s1, s2, s3; };
JetDerivs jetDerivs(int64_t act, const at::Tensor& z, const at::Tensor& into = at::Tensor());

// e1 = σ' d1, e2 = σ' d2 + σ'' Q for contiguous d1, e1 [N, C1, H] and d2, e2 [N, C2, H].
void jetRowsForward(const JetTerms& t, const JetDerivs& d, const at::Tensor& d1, const at::Tensor& d2, const at::Tensor& e1, const at::Tensor& e2);

// The hand-written backward of jetRowsForward (jet.cc's header), given the gradients of σ (ga),
// e1 (g1) and e2 (g2): gz [N, H], gd1, gd2 are written. All contiguous; ga or g1 may be
// undefined (no gradient reaches the value or the first channels: zero).
void jetRowsBackward(const JetTerms& t, const JetDerivs& d, const at::Tensor& d1, const at::Tensor& d2, const at::Tensor& ga,
                     const at::Tensor& g1, const at::Tensor& g2, const at::Tensor& gz, const at::Tensor& gd1, const at::Tensor& gd2);

// (σ(z), e1, e2) as one differentiable autograd node (its backward differentiable again).
std::vector<at::Tensor> activationJet(int64_t act, const at::Tensor& z, const at::Tensor& d1, const at::Tensor& d2, const JetTerms& t);

// Throws std::invalid_argument unless the terms are well formed for C1 first channels.
void checkJetTerms(const JetTerms& t, int64_t C1);
int64_t jetActivationCode(const std::string& name);

}  // namespace pt
