print("rnnsweep")
