// The KubeSim module.
