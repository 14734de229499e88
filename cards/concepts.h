// Clinical judgements the live rules and the population audit share, so one definition decides both
// (a change to a value set or to this logic changes the card and the measure alike):
//   - a corticosteroid or tendon injection at (or, with a tendon disorder, possibly at) the Achilles;
//   - a cast or walking boot that immobilises a tendinopathy, not an injury in which rupture is possible.
// A rule turns a verdict into a card; the audit (population/) into a measure. Pure: facts in, verdict out.
//
//   if (JudgeSteroidInjection(order) == InjectionVerdict::kAtAchilles) ...  // the critical card
//   if (const ConditionFact* t = ImmobilisedTendinopathy(order, facts, nullptr)) ...
#pragma once

#include <cstdint>

#include "cards/facts.h"
#include "cards/rule.h"

namespace cds::cards {

// What an order is, as the steroid-injection rule judges it (rules.md). Only kAtAchilles fires on its own;
// kSiteNotStated fires when the patient has an Achilles tendon disorder.
enum class InjectionVerdict : uint8_t {
  kNotAnInjection,         // neither a corticosteroid nor a tendon injection
  kOralOrTopical,          // a corticosteroid by mouth, on the skin or by iontophoresis
  kElsewhere,              // a named site that is not the Achilles (the knee, the ankle joint, an epidural)
  kAtAchilles,             // the Achilles tendon or its bursa is the site
  kSystemicSiteNotStated,  // intramuscular / intravenous / subcutaneous, no site
  kNotRecognisably,        // no site, and nothing says it is an injection
  kSiteNotStated,          // a local injection with no site, or at the ankle without a structure named
};
InjectionVerdict JudgeSteroidInjection(const OrderFact& o);

// The counting tendinopathy a cast or walking boot order immobilises, or nullptr (the reason in `trace`,
// when given): not when it is for another part, an injury or another indication, nor when an injury in
// which rupture is not excluded is on the same leg, nor for the other leg.
const ConditionFact* ImmobilisedTendinopathy(const OrderFact& o, const Facts& facts, Trace* trace);

}  // namespace cds::cards
