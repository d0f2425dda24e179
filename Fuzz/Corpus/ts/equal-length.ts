@problemName Eq
@univariate false
@dimension 2
@equalLength true
@seriesLength 2
@classLabel true 1 2 3 4 5 6 7 8 9
@data
1,2:3,4:1
5,6:7,8:2
