@problemname R
@timestamps false
@univariate true
@equallength true
@serieslength 3
@targetlabel true
@data
0.0,1.0,2.0:0.5
3,4,5:-1.25e2
6,7,8:3
