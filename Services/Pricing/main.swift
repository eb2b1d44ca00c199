// pricing: markup rules and currency conversion.

import Shared

await ServiceRunner.main(PricingService.definition)
