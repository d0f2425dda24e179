# A small classification file: 2 dimensions of different lengths, labels 1 to 9, a missing value.
@problemName X
@timeStamps false
@missing true
@univariate false
@dimensions 2
@equalLength false
@classLabel true 1 2 3 4 5 6 7 8 9
@data
1.0,2.5,-3:4,5e-1,6:1
0.25:?:9
7,8:NaN,1E2:5
