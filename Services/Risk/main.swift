// risk: credit accounts, risk scoring and reviews.

import Shared

await ServiceRunner.main(RiskService.definition)
