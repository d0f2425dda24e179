@problemName X
@univariate false
@dimensions 2
@equalLength false
@classLabel true 1 2 3 4 5 6 7 8 9
@data
?,nan:NaN,?:1
?:?
