// The CDS Hooks this service answers, as a closed set; strings only at the JSON edge.
//
//   std::optional<Hook> h = ParseHook("order-sign");
//   std::string_view name = HookName(Hook::kPatientView);   // "patient-view"
#pragma once

#include <optional>
#include <string_view>

namespace cds::cards {

enum class Hook { kPatientView, kOrderSelect, kOrderSign };

std::string_view HookName(Hook hook);
std::optional<Hook> ParseHook(std::string_view name);
inline bool IsOrderHook(Hook hook) { return hook != Hook::kPatientView; }

}  // namespace cds::cards
