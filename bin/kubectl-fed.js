#!/usr/bin/env node
// kubectl plugin entry: `kubectl fed join ...` runs `kubefedctl join ...`; bin/kubefedctl.js tells
// the two apart by the name it was started as.
import './kubefedctl.js';
