// The WatchCache module.
