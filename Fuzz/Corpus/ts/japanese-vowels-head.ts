#A UCI Archive dataset. See this link for more detailed information: https://archive.ics.uci.edu/ml/datasets/Japanese+Vowels
#Paper: M. Kudo, J. Toyama and M. Shimbo. (1999). "Multidimensional Curve Classification Using Passing-Through Regions". Pattern Recognition Letters, Vol. 20, No. 11--13, pages 1103--1111.
#
#
#9 Japanese-male speakers were recorded saying the vowels 'a' and 'e'. A '12-degree linear prediction analysis' is applied to the raw recordings to obtain time-series with 12 dimensions and series lengths between 7 and 29. The classification task is to predict the speaker. Therefore, each instance is a transformed utterance, 12*29 values with a single class label attached, [1...9].
#
#The given training set is comprised of 30 utterances for each speaker, however the test set has a varied distribution based on external factors of timing and experimental availability, between 24 and 88 instances per speaker.
@problemName JapaneseVowels
@timeStamps false
@missing false
@univariate false
@dimensions 12
@equalLength false
@classLabel true 1 2 3 4 5 6 7 8 9
@data
1.860936,1.891651,1.939205,1.717517,1.741191,1.684695,1.637373,1.643283,1.60703,1.617907,1.51035,1.371225,1.299045,1.221498,1.181849,1.16163,1.19499,1.264847,1.250698,1.261441:-0.207383,-0.193249,-0.239664,-0.218572,-0.279891,-0.311977,-0.336227,-0.349773,-0.382745,-0.527367,-0.548025,-0.470988,-0.495095,-0.50008,-0.496439,-0.481933,-0.510964,-0.564878,-0.612291,-0.63835:0.261557,0.235363,0.258561,0.217119,0.196583,0.195453,0.152766,0.131553,0.179038,0.179878,0.13193,0.043163,0.029375,-0.002802,-0.075193,-0.052291,0.065827,0.162907,0.205701,0.217443:-0.214562,-0.249118,-0.291458,-0.228186,-0.236377,-0.23197,-0.223842,-0.154519,-0.115949,-0.083292,-0.028036,0.019166,0.026418,0.095565,0.167288,0.156674,0.175791,0.186745,0.211003,0.263384:-0.171253,-0.11289,-0.041053,-0.018608,-0.032012,-0.06867,-0.026278,-0.035292,-0.060406,0.031747,0.104782,0.165104,0.218288,0.226836,0.294219,0.361226,0.353618,0.35686,0.369712,0.391115:-0.118167,-0.112238,-0.102034,