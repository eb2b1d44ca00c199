// The console's pages, in the navigation's order: each renders from the public admin API and acts
// through it. What each page does, and what it does not do yet: docs/console.md (keep it current).
"use strict";
import { overview } from "/admin/assets/overview.js";
import { suppliers } from "/admin/assets/suppliers.js";
import { hotels } from "/admin/assets/hotels.js";
import { pricing } from "/admin/assets/pricing.js";
import { inventory } from "/admin/assets/inventory.js";
import { distributors } from "/admin/assets/distributors.js";
import { credit } from "/admin/assets/credit.js";
import { risk } from "/admin/assets/risk.js";
import { orders } from "/admin/assets/orders.js";
import { settlement } from "/admin/assets/settlement.js";
import { config } from "/admin/assets/config.js";

export const pages = [
  { id: "overview", title: "Overview", render: overview },
  { id: "suppliers", title: "Suppliers", render: suppliers },
  { id: "mappings", title: "Hotels & mappings", render: hotels },
  { id: "pricing", title: "Pricing", render: pricing },
  { id: "inventory", title: "Direct contracts", render: inventory },
  { id: "distributors", title: "Distributors", render: distributors },
  { id: "credit", title: "Credit", render: credit },
  { id: "risk", title: "Risk reviews", render: risk },
  { id: "orders", title: "Orders", render: orders },
  { id: "settlement", title: "Settlement", render: settlement },
  { id: "config", title: "Config & flags", render: config },
];
